package io.robustunit.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files so that readers see either the old content or the complete new one, never a part: the data
 * goes to a temporary file in the same directory, is forced to disk, and is then renamed over the target.
 * If writing fails, the target is untouched and the temporary file is removed.
 */
final class AtomicFiles {

    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {
    }

    /** Writes a file at the path it is given. */
    @FunctionalInterface
    public interface FileWriter {
        /**
         * @param file where to write
         * @throws IOException if writing fails
         */
        void writeTo(Path file) throws IOException;
    }

    /**
     * @param target the file to replace or create; missing parent directories are created
     * @param writer writes the complete content to the temporary path it is given
     * @throws IOException if writing or renaming fails; {@code target} is then unchanged
     */
    public static void write(Path target, FileWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + COUNTER.incrementAndGet() + ".tmp");
        try {
            writer.writeTo(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes the temporary files that writers of {@code target} killed mid-write left beside it. Call it only while
     * no other writer can be writing {@code target}, e.g. under a lock.
     *
     * @param target the file whose writers' leftovers to remove
     * @throws IOException if the directory cannot be listed or a leftover cannot be deleted
     */
    static void removeStaleTemporaries(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + target.getFileName() + ".";
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path leftover : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /**
     * @param target the file to replace or create
     * @param bytes its new content
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, temp -> {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        });
    }

    /**
     * @param target the file to replace or create
     * @param text its new content, written as UTF-8
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
