package io.robustunit.data;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;

import org.apiguardian.api.API;

/** An IDX file that is missing, truncated, corrupt or inconsistent with its companion file. */
@API(status = STABLE, since = "0.1")
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    IdxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
