package org.livernode.cli;

import jakarta.inject.Inject;
import org.livernode.registry.GateReport;
import org.livernode.registry.ModelPromotion;
import org.livernode.registry.ModelRegistry;
import org.livernode.registry.RegistryFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code livernode models list|register|evaluate|promote|rollback}: the runtime model registry and its gate. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "The model registry in DATA/models/registry.json (shared by every replica): versions, the active one, "
                + "the promotion gate and the log of every promotion and rollback.",
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Register.class, ModelsCommand.Evaluate.class,
                ModelsCommand.Promote.class, ModelsCommand.Rollback.class})
public class ModelsCommand {

    static final String CANDIDATE = "A registered version, or a model folder (a training run's OUTPUT) to register first";

    /** Runs a registry action; a refused request is exit code 2 with the reason, as the other commands do. */
    abstract static class Action implements Callable<Integer> {
        @Inject
        ModelPromotion promotion;

        @Override
        public Integer call() {
            try {
                return run();
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                System.err.println("livernode models: " + e.getMessage());
                return 2;
            }
        }

        abstract int run() throws IOException;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Known versions (* = active), their figures, the log.")
    static class ListVersions extends Action {
        @Option(names = "--log", description = "Also print the registry's log")
        boolean log;

        @Override
        int run() throws IOException {
            ModelRegistry registry = promotion.registry();
            RegistryFile file = registry.read();
            ModelRegistry.Active active = registry.active();
            System.out.println("registry " + registry.file());
            System.out.printf(Locale.ROOT, "%s %-24s %-28s %s%n", active.bundled() ? "*" : " ", active.version() + " (bundled)",
                    "", registry.bundledDir());
            for (RegistryFile.Version v : file.versions()) {
                System.out.printf(Locale.ROOT, "%s %-24s %-28s %s%n", v.version().equals(file.active()) ? "*" : " ",
                        v.version(), figures(file, v.version()), registry.dirOf(file, v.version()));
            }
            if (log) {
                for (RegistryFile.LogEntry e : file.log()) {
                    System.out.printf(Locale.ROOT, "%s %-11s %-20s by %s (active was %s)%s%n", e.at(), e.action(), e.version(),
                            e.by(), e.previous(), e.reason() == null ? "" : ": " + e.reason());
                }
            }
            return 0;
        }

        /** Per-case mean DSC of the version's latest gate evaluation, per set. */
        private static String figures(RegistryFile file, String version) {
            for (int i = file.log().size() - 1; i >= 0; i--) {
                RegistryFile.LogEntry e = file.log().get(i);
                if (version.equals(e.version()) && e.figures() != null) {
                    StringBuilder text = new StringBuilder();
                    for (GateReport.SetFigures s : e.figures()) {
                        if (s.candidateMeanDsc() != null) {
                            text.append(String.format(Locale.ROOT, "%s %.4f ", s.set(), s.candidateMeanDsc()));
                        }
                    }
                    return text.toString().trim() + " (" + e.action() + ")";
                }
            }
            return "not evaluated";
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Copy a model folder into the registry as a candidate (weights checked against the card's SHA-256).")
    static class Register extends Action {
        @Parameters(paramLabel = "MODEL_DIR", description = "A model folder (model.params + model-card.json)")
        String dir;
        @Option(names = "--version", description = "The version name (default: the card's); the copy's card names it")
        String version;
        @Option(names = "--by", description = "Who registers it (default: the OS user)")
        String by;

        @Override
        int run() throws IOException {
            String v = promotion.candidate(dir, version, ModelPromotion.who(by));
            System.out.println("registered " + v + " in " + promotion.registry().file());
            return 0;
        }
    }

    /** Options of the commands that run the gate. */
    abstract static class Gated extends Action {
        @Parameters(paramLabel = "CANDIDATE", description = CANDIDATE)
        String candidate;
        @Option(names = "--version", description = "Version name when CANDIDATE is a folder (default: the card's)")
        String version;
        @Option(names = "--without-lits", description = "Let the gate decide without the LiTS validation set when it is missing (recorded in the log)")
        boolean withoutLits;
        @Option(names = "--by", description = "Who does it (default: the OS user)")
        String by;
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Score CANDIDATE and the active model on the gate's validation sets; changes nothing but registering a folder.")
    static class Evaluate extends Gated {
        @Override
        int run() throws IOException {
            GateReport report = promotion.evaluate(promotion.candidate(candidate, version, ModelPromotion.who(by)), withoutLits);
            report.print(System.out);
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Run the gate and make CANDIDATE active if it passes (exit 1 when refused); recorded and audited either way.")
    static class Promote extends Gated {
        @Override
        int run() throws IOException {
            String who = ModelPromotion.who(by);
            GateReport report = promotion.evaluate(promotion.candidate(candidate, version, who), withoutLits);
            report.print(System.out);
            RegistryFile.LogEntry entry = promotion.decide(report, who);
            System.out.println(entry.action() + " " + entry.version() + (entry.reason() == null ? "" : ": " + entry.reason()));
            return "promoted".equals(entry.action()) ? 0 : 1;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Make the version active before the current one active again (the bundled model when none was).")
    static class Rollback extends Action {
        @Option(names = "--by", description = "Who does it (default: the OS user)")
        String by;

        @Override
        int run() throws IOException {
            RegistryFile.LogEntry entry = promotion.rollback(ModelPromotion.who(by));
            System.out.println("rolled back from " + entry.previous() + " to " + entry.version());
            return 0;
        }
    }
}
