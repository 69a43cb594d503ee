package io.robustunit.example.mnist.cli;

import java.io.IOException;
import java.nio.file.Path;

import io.robustunit.data.LabelledDataset;
import io.robustunit.example.mnist.MnistData;
import picocli.CommandLine.Option;

/** Where the data comes from: the bundled MNIST, or any directory of MNIST-format IDX files. */
final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of MNIST-format IDX files (e.g. Fashion-MNIST); default: the bundled MNIST.")
    Path dataDir;

    LabelledDataset test() throws IOException {
        return dataDir == null ? MnistData.test() : MnistData.test(dataDir);
    }

    LabelledDataset train() throws IOException {
        return dataDir == null ? MnistData.train() : MnistData.train(dataDir);
    }
}
