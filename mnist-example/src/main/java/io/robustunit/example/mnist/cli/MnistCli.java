package io.robustunit.example.mnist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of the MNIST example: train, evaluate and attack the reference MLP.
 * Run it with {@code mnist-example/robustunit-mnist}, which sets {@code OMP_NUM_THREADS=1} and a heap cap.
 */
@Command(name = "robustunit-mnist", mixinStandardHelpOptions = true, version = "RobustUnit MNIST example 0.1.0",
        description = "Train, evaluate and attack the tutorial's MNIST MLP.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, RobustnessCommand.class, HardenCommand.class})
public final class MnistCli {

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * @param args the command line
     * @return the exit code: 0 on success, 1 on an error, 2 on a usage error
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new MnistCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
