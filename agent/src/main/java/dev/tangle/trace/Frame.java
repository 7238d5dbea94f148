package dev.tangle.trace;

/** One stack frame or code location. {@code line} is -1 when unknown, {@code file} null when unknown. */
public record Frame(String className, String methodName, String file, int line) {
    /** The form used in reports: {@code Class.method(File:line)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(className).append('.').append(methodName).append('(');
        sb.append(file == null ? "Unknown Source" : file);
        if (line >= 0) {
            sb.append(':').append(line);
        }
        return sb.append(')').toString();
    }
}
