package org.livernode.api;

/** Ends a request with a {@link Problem}; thrown by resources, turned into a response by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ProblemException notFound(String what, String uid) {
        return new ProblemException(404, "urn:livernode:problem:not-found", what + " not found",
                "no " + what.toLowerCase() + " with UID " + uid + " has been received");
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "urn:livernode:problem:bad-request", "Bad request", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
