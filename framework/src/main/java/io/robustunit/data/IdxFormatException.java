package io.robustunit.data;

import java.io.IOException;

/** An IDX file that is missing, truncated, corrupt or inconsistent with its companion file. */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    IdxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
