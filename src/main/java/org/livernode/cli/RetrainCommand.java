package org.livernode.cli;

import jakarta.inject.Inject;
import org.livernode.registry.ModelPromotion;
import org.livernode.registry.Retraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code livernode retrain}: the learning loop in one command (registry.Retraining). */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = "Fine-tune the active model on the node's corrected cases and LiTS, register the result, run the "
                + "promotion gate, promote it if it passes, print the before/after table. Exit 0 when promoted or when "
                + "there is nothing to learn from, 1 when the gate refused, 2 on an error.")
public class RetrainCommand implements Callable<Integer> {

    @Inject
    Retraining retraining;

    @Option(names = "--lits", description = "LiTS training data (lits-slices:PATH or PATH); default livernode.models.validation-data, else the active card's")
    String lits;

    @Option(names = "--lits-weight", defaultValue = "0.7", description = "Share of training samples drawn from LiTS; default ${DEFAULT-VALUE}")
    double litsWeight;

    @Option(names = "--local-weight", defaultValue = "0.3", description = "Share drawn from the local corrections; default ${DEFAULT-VALUE}")
    double localWeight;

    @Option(names = "--epochs", defaultValue = "3", description = "Fine-tuning epochs; default ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.002", description = "SGD learning rate (cosine schedule); default ${DEFAULT-VALUE}")
    float learningRate;

    @Option(names = "--batch-size", defaultValue = "8", description = "Slices per step; default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--max-train-slices", defaultValue = "" + Integer.MAX_VALUE, description = "Train on at most this many slices an epoch (a quick run)")
    int maxTrainSlices;

    @Option(names = "--version", description = "The candidate's version (default retrain-<UTC date-time>)")
    String version;

    @Option(names = "--without-lits", description = "Train and gate without LiTS when it is missing (recorded in the log)")
    boolean withoutLits;

    @Option(names = "--no-promote", description = "Register and evaluate the candidate, do not promote it")
    boolean noPromote;

    @Option(names = "--by", description = "Who runs it (default: the OS user), for the log and the audit trail")
    String by;

    @Override
    public Integer call() {
        if (epochs < 1 || !(litsWeight > 0) || !(localWeight > 0)) {
            System.err.println("livernode retrain: --epochs must be >= 1 and the weights > 0");
            return 2;
        }
        try {
            Retraining.Outcome outcome = retraining.run(new Retraining.Plan(lits, litsWeight, localWeight, epochs,
                    learningRate, batchSize, maxTrainSlices, version, withoutLits, !noPromote, ModelPromotion.who(by)),
                    System.out);
            if (outcome.candidate() == null) {
                System.out.println("livernode retrain: " + outcome.note());
                return 0;
            }
            if (outcome.decision() == null) {
                System.out.println(outcome.candidate() + ": " + outcome.note());
                return 0;
            }
            System.out.println(outcome.decision().action() + " " + outcome.candidate() + ": " + outcome.decision().reason());
            return "promoted".equals(outcome.decision().action()) ? 0 : 1;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("livernode retrain: " + e.getMessage());
            return 2;
        }
    }
}
