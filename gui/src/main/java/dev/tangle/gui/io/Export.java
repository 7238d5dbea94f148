package dev.tangle.gui.io;

import dev.tangle.detect.Finding;
import dev.tangle.model.TraceSummary;
import dev.tangle.report.JsonReport;
import dev.tangle.report.TextReport;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Saves what the window shows: the timeline as PNG (from ARGB pixels), the findings as JSON or text. */
public final class Export {
    private Export() {
    }

    public static void png(int[] argb, int width, int height, Path file) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, width, height, argb, 0, width);
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer");
        }
    }

    public static void json(List<Finding> findings, TraceSummary summary, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            JsonReport.write(w, findings, summary);
        }
    }

    public static void text(List<Finding> findings, TraceSummary summary, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            TextReport.write(w, findings, summary);
        }
    }
}
