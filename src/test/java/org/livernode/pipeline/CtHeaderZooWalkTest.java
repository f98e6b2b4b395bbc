package org.livernode.pipeline;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.livernode.cli.LivernodeCommand;
import org.livernode.dicom.ExternalTool;
import org.livernode.testing.CtHeaderZoo;
import org.livernode.testing.TestFiles;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * THE ZOO WALK: every file and series of the real CT header zoo through {@code livernode segment} (the command as
 * the CLI parses and runs it, in one application rather than one start per series, to keep the walk short; single slices stacked into 12-slice series, multi-slice series and multi-frame files as they are). Each
 * outcome must be a SEG with 0 dciodvfy errors or a refusal that names the reason (exit 2 or 3, one line, no stack
 * trace). A tiny real model keeps it fast (the mask content does not matter here); min-slices is 1 so that the
 * zoo's 2- to 5-slice series reach the SEG writer. The table of outcomes goes to target/ct-header-zoo-walk.md.
 */
@QuarkusTest
@TestProfile(CtHeaderZooWalkTest.SmallSeries.class)
class CtHeaderZooWalkTest {

    public static class SmallSeries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livernode.selection.min-slices", "1");
        }
    }

    @Inject
    CommandLine.IFactory factory;

    static Path work;
    static Path model;

    @BeforeAll
    static void tinyModel() throws Exception {
        work = Files.createTempDirectory("zoo-walk");
        model = TestPipelines.tinyModel(work.resolve("tiny"));
    }

    @AfterAll
    static void clean() throws Exception {
        TestFiles.deleteTree(work);
    }

    /** One row of the table. */
    record Row(String unit, int files, String outcome, String detail) {
    }

    @Test
    void everyZooSeriesGetsAValidSegOrAReason() throws Exception {
        List<CtHeaderZoo.Unit> units = CtHeaderZoo.units();
        List<Row> rows = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (CtHeaderZoo.Unit unit : units) {
            Path in = work.resolve("in" + n);
            Path seg = work.resolve("seg" + n++ + ".dcm");
            List<Path> files = unit.single() ? CtHeaderZoo.stack(unit.files().get(0), in) : link(unit.files(), in);
            if (files.size() == 1 && !Files.exists(in)) {
                link(files, in);
            }
            Launch r = segment("--input", in.toString(), "--output", seg.toString(), "--model", model.toString());
            String said = r.out() + "\n" + r.err();
            if (said.contains("\tat ") || said.contains("Exception in thread")) {
                wrong.add(unit.name() + ": a stack trace: " + said);
            }
            if (r.exitCode() == 0) {
                ExternalTool.Result check = ExternalTool.run(List.of("dciodvfy", seg.toString()), 120);
                String all = check.stdout() + check.stderr();
                long errors = all.lines().filter(l -> l.startsWith("Error")).count();
                String notes = String.join(" ", said.lines().filter(l -> l.startsWith("Note: ")).map(l -> l.substring(6)).toList());
                rows.add(new Row(unit.name(), files.size(), errors == 0 ? "SEG" : "SEG, " + errors + " dciodvfy errors",
                        errors == 0 ? notes : all.lines().filter(l -> l.startsWith("Error")).distinct().toList().toString()));
                if (errors != 0 || check.exitCode() != 0) {
                    wrong.add(unit.name() + ": the SEG fails dciodvfy: " + all);
                }
                if (CtHeaderZoo.NOT_SEGMENTED.containsKey(unit.name())) {
                    wrong.add(unit.name() + ": a SEG for what is not a CT series to segment");
                }
            } else {
                String reason = r.err().lines().filter(l -> l.startsWith("livernode segment: ")).findFirst()
                        .map(l -> l.substring("livernode segment: ".length())).orElse("");
                rows.add(new Row(unit.name(), files.size(), "refused (exit " + r.exitCode() + ")", reason));
                if (reason.isBlank() || (r.exitCode() != 2 && r.exitCode() != 3)) {
                    wrong.add(unit.name() + ": exit " + r.exitCode() + " without a reason: " + said);
                }
                String expected = CtHeaderZoo.NOT_SEGMENTED.get(unit.name());
                if (expected == null || !reason.contains(expected)) {
                    wrong.add(unit.name() + ": refused, " + (expected == null ? "but it is an axial CT series: "
                            : "but the reason does not say '" + expected + "': ") + reason);
                }
            }
            writeTable(rows);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + units.size() + " zoo units went wrong:\n" + String.join("\n", wrong));
        assertTrue(rows.stream().filter(row -> row.outcome().equals("SEG")).count() >= 1, "some zoo series get a SEG");
    }

    record Launch(int exitCode, String out, String err) {
    }

    /** {@code livernode segment ...} as the CLI runs it, with what it prints captured. */
    private Launch segment(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "segment";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = new CommandLine(LivernodeCommand.class, factory).execute(all);
            return new Launch(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static List<Path> link(List<Path> files, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> links = new ArrayList<>();
        for (Path f : files) {
            links.add(Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath()));
        }
        return links;
    }

    private static void writeTable(List<Row> rows) throws Exception {
        StringBuilder t = new StringBuilder("| zoo file or series | files sent | outcome | reason or notes |\n| --- | --- | --- | --- |\n");
        for (Row row : rows) {
            t.append("| `").append(row.unit()).append("` | ").append(row.files()).append(" | ").append(row.outcome())
                    .append(" | ").append(row.detail().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "ct-header-zoo-walk.md"), t.toString());
    }
}
