package org.livernode.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code livernode <command>}: the node and its offline tools. */
@TopCommand
@Command(name = "livernode", mixinStandardHelpOptions = true, version = "livernode 0.1.0",
        description = "A DICOM node that segments the liver in CT and answers with a DICOM Segmentation.",
        subcommands = {ServeCommand.class, DemoCommand.class, SegmentCommand.class, TrainCommand.class,
                EvaluateCommand.class, ModelsCommand.class, RetrainCommand.class})
public class LivernodeCommand {
}
