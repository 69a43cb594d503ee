package io.robustunit.example.mnist.cnn;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

import io.robustunit.example.mnist.peer.NpyArrays;
import io.robustunit.example.mnist.peer.PeerCnns;

/** The test resources {@code peer/cnn/<arch>} that {@code benchmarks/cnn_peer.py} wrote. */
final class PeerCnnFiles {

    private PeerCnnFiles() {
    }

    static Path directory(String arch) {
        try {
            return Path.of(PeerCnnFiles.class.getResource("/peer/cnn/" + arch + "/arch.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static NpyArrays.Array npy(String arch, String name) throws IOException {
        return PeerCnns.npy(directory(arch), name);
    }
}
