package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;

import org.apiguardian.api.API;

/** A robustness baseline file that exists but cannot be used. It is never replaced automatically. */
@API(status = INTERNAL, since = "0.1")
public final class BaselineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BaselineException(Path file, String problem, Throwable cause) {
        super("robustness baseline " + file + " " + problem + "; fix it, or delete it and run with "
                + "-Drobustunit.baseline.update=true to record a new one", cause);
    }
}
