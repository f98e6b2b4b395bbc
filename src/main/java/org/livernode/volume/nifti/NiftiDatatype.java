package org.livernode.volume.nifti;

/** NIfTI-1 voxel datatypes this package reads and writes (code and bits per voxel as in nifti1.h). */
public enum NiftiDatatype {
    UINT8(2, 8),
    INT16(4, 16),
    INT32(8, 32),
    FLOAT32(16, 32),
    FLOAT64(64, 64),
    INT8(256, 8),
    UINT16(512, 16);

    private final int code;
    private final int bitsPerVoxel;

    NiftiDatatype(int code, int bitsPerVoxel) {
        this.code = code;
        this.bitsPerVoxel = bitsPerVoxel;
    }

    public int code() {
        return code;
    }

    public int bitsPerVoxel() {
        return bitsPerVoxel;
    }

    public int bytesPerVoxel() {
        return bitsPerVoxel / 8;
    }

    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /** The datatype of a header's datatype code; names the code found when it is not supported. */
    public static NiftiDatatype ofCode(int code) {
        for (NiftiDatatype t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("NIfTI datatype code " + code + " is not supported (supported: uint8 2, "
                + "int16 4, int32 8, float32 16, float64 64, int8 256, uint16 512)");
    }

    double minValue() {
        return switch (this) {
            case UINT8, UINT16 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
        };
    }

    double maxValue() {
        return switch (this) {
            case UINT8 -> 255;
            case UINT16 -> 65535;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
        };
    }
}
