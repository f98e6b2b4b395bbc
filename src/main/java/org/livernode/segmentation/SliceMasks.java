package org.livernode.segmentation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liver masks of single slices computed before their job (segmentation on arrival), before the 3D clean-up, held
 * packed 8 pixels a byte and bounded by {@code capacity} slices (the least recently used go first; a job computes
 * what is not here, so a lost mask costs time, never a different SEG). Keys name the model, the file's content and the frame
 * ({@link #ofModel}, {@link #key}). Held in memory only: after a restart the job computes them again. Thread-safe.
 */
public final class SliceMasks {

    private final int capacity;
    private final Map<String, Packed> masks;

    private record Packed(int pixels, byte[] bits) {
    }

    public SliceMasks(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 slice, found " + capacity);
        }
        this.capacity = capacity;
        this.masks = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A slice's key: its file, that file's size and modification time (a resent instance differs), its frame. */
    public static String key(String file, long size, long modifiedMillis, int frame) {
        return file + "|" + size + "|" + modifiedMillis + "|" + frame;
    }

    /**
     * The key of a slice's mask made by one model ({@code modelIdentity}: version and weights): after a promotion
     * the masks of the model it replaced are not found, and the job predicts those slices again.
     */
    public static String ofModel(String modelIdentity, String sliceKey) {
        return modelIdentity + "#" + sliceKey;
    }

    public synchronized void put(String key, byte[] mask) {
        byte[] bits = new byte[(mask.length + 7) / 8];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] != 0) {
                bits[p >> 3] |= (byte) (1 << (p & 7));
            }
        }
        masks.put(key, new Packed(mask.length, bits));
        while (masks.size() > capacity) {
            masks.remove(masks.keySet().iterator().next());
        }
    }

    public synchronized boolean contains(String key) {
        return masks.containsKey(key);
    }

    /** The mask (1 = liver) of {@code pixels} pixels, or null when it is not here or was of another size. */
    public synchronized byte[] get(String key, int pixels) {
        Packed packed = masks.get(key);
        if (packed == null || packed.pixels != pixels) {
            return null;
        }
        byte[] mask = new byte[pixels];
        for (int p = 0; p < pixels; p++) {
            mask[p] = (byte) ((packed.bits[p >> 3] >> (p & 7)) & 1);
        }
        return mask;
    }

    public synchronized int size() {
        return masks.size();
    }

    public synchronized void clear() {
        masks.clear();
    }
}
