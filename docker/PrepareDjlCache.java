import ai.djl.engine.Engine;
import ai.djl.util.Utils;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Image build step: unpacks libtorch and DJL's JNI library from the jars on the class path into
 * DJL_CACHE_DIR, so that the node, running as a non-root user, never writes them at run time.
 * Run with the JDK's source launcher: {@code java -cp 'target/quarkus-app/lib/main/*' docker/PrepareDjlCache.java [--load]}.
 * Without {@code --load} it only unpacks (the GPU image is built where no GPU driver is present);
 * with {@code --load} it also starts the PyTorch engine to prove the unpacked libraries work.
 */
public class PrepareDjlCache {

    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean("ai.djl.offline")) {
            fail("run with -Dai.djl.offline=true: the image must never download an engine");
        }
        // DJL unpacks in LibUtils' own steps; calling them keeps the cache layout exactly DJL's.
        Class<?> libUtils = Class.forName("ai.djl.pytorch.jni.LibUtils");
        Method getLibTorch = libUtils.getDeclaredMethod("getLibTorch");
        getLibTorch.setAccessible(true);
        Object libTorch = getLibTorch.invoke(null);
        Method findJni = libUtils.getDeclaredMethod("findJniLibrary", getLibTorch.getReturnType());
        findJni.setAccessible(true);
        Path jni = (Path) findJni.invoke(null, libTorch);

        Path cache = Utils.getEngineCacheDir("pytorch");
        long bytes;
        try (Stream<Path> files = Files.walk(cache)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        if (!Files.isRegularFile(jni) || bytes == 0) {
            fail("nothing unpacked into " + cache);
        }
        System.out.printf("DJL cache %s ready: %d MB, JNI %s%n", cache, bytes >> 20, jni.getFileName());

        if (args.length > 0 && args[0].equals("--load")) {
            Engine engine = Engine.getEngine("PyTorch");
            System.out.printf("PyTorch %s loaded, default device %s%n", engine.getVersion(), engine.defaultDevice());
        }
    }

    private static void fail(String message) {
        System.err.println("PrepareDjlCache: " + message);
        System.exit(1);
    }
}
