package dev.tangle.input;

import dev.tangle.dump.JsonThreadDumpParser;
import dev.tangle.dump.TextThreadDumpParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What a file holds, told by its content (never by its name). */
public enum InputFormat {
    /** A Tangle trace: magic {@code TNGL\r\n\u001a\n}. */
    TANGLE_TRACE("tangle trace"),
    /** A JDK Flight Recorder recording: magic {@code FLR\0}. */
    JFR("JFR recording"),
    /** The text of {@code jstack} or {@code jcmd Thread.print}, one or several dumps. */
    THREAD_DUMP("thread dump"),
    /** The JSON thread dump of JDK 21+ ({@code jcmd Thread.dump_to_file -format=json}). */
    JSON_THREAD_DUMP("JSON thread dump");

    private static final byte[] TANGLE_MAGIC = {'T', 'N', 'G', 'L', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};
    /** How much of a text file is read to tell a dump: a dump's first lines say what it is. */
    private static final int SNIFF_BYTES = 64 * 1024;

    private final String label;

    InputFormat(String label) {
        this.label = label;
    }

    /** For reports: "thread dump", "JFR recording". */
    public String label() {
        return label;
    }

    /** The format of {@code file}, or null when it is none of these. */
    public static InputFormat of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        if (startsWith(head, TANGLE_MAGIC)) {
            return TANGLE_TRACE;
        }
        if (startsWith(head, JFR_MAGIC)) {
            return JFR;
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (JsonThreadDumpParser.looksLikeDump(text)) {
            return JSON_THREAD_DUMP;
        }
        if (TextThreadDumpParser.looksLikeDump(text)) {
            return THREAD_DUMP;
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
