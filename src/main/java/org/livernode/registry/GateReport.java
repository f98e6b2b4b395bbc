package org.livernode.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The promotion gate's answer: active and candidate scored on each validation set, and whether the candidate may
 * go live (not worse than the active model by more than the margin in per-case mean DSC on any set with cases).
 */
public record GateReport(String active, String candidate, double margin, List<SetFigures> sets, boolean passed,
                         String reason, List<String> flags) {

    /** One validation set: its cases, both models' per-case mean and pooled DSC (null when it has no case), a note. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SetFigures(String set, String source, int cases, int slices, Double activeMeanDsc,
                             Double activePooledDsc, Double candidateMeanDsc, Double candidatePooledDsc, String note) {
    }

    /** The before/after table. */
    public void print(PrintStream out) {
        out.printf("%-8s %5s %6s  %-26s %-26s%n", "set", "cases", "slices", "active " + active,
                "candidate " + candidate);
        out.printf("%-8s %5s %6s  %12s %13s %12s %13s%n", "", "", "", "per-case DSC", "pooled DSC", "per-case DSC",
                "pooled DSC");
        for (SetFigures s : sets) {
            out.printf(Locale.ROOT, "%-8s %5d %6d  %12s %13s %12s %13s%s%n", s.set(), s.cases(), s.slices(),
                    f(s.activeMeanDsc()), f(s.activePooledDsc()), f(s.candidateMeanDsc()), f(s.candidatePooledDsc()),
                    s.note() == null ? "" : "  (" + s.note() + ")");
        }
        out.printf(Locale.ROOT, "margin %.4f: %s%s%n", margin, passed ? "PASS" : "REFUSED", reason == null ? "" : ": " + reason);
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
