package io.learnflow.pgk8s.kube;

import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.learnflow.pgk8s.ExitCodes;
import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.DbErrors;

/**
 * The API server's answers as one line that says what is wrong and what to do, as kubectl rewrites them.
 * HTTP codes are the API server's (Kubernetes API concepts, "Response codes").
 */
public final class KubeErrors {
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int CONFLICT = 409;

    private KubeErrors() {
    }

    /** @param what the object or action, e.g. {@code statefulset.apps/postgres}, for context */
    public static Pgk8sException translate(KubernetesClientException e, URL server, String what) {
        return new Pgk8sException(ExitCodes.FAILED, message(e, server, what), e);
    }

    /** Whether the API server answered 403 Forbidden, the cause of {@code e} or anywhere below it. */
    public static boolean isForbidden(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == FORBIDDEN) {
                return true;
            }
        }
        return false;
    }

    static String message(KubernetesClientException e, URL server, String what) {
        // No HTTP answer at all: fabric8 7 reports code -1, and a request or connect timeout as a TimeoutException.
        boolean noAnswer = e.getStatus() == null || e.getCode() <= 0;
        if (noAnswer && (hasCause(e, IOException.class) || hasCause(e, TimeoutException.class))) {
            return "cannot reach the Kubernetes API server at " + server + " (" + rootMessage(e)
                    + "), check that the cluster is up and that --kubeconfig/--context name it";
        }
        Status status = e.getStatus();
        String serverSays = status != null && status.getMessage() != null ? status.getMessage()
                : DbErrors.firstLine(e.getMessage());
        return switch (e.getCode()) {
            case UNAUTHORIZED -> "the API server at " + server + " rejected the credentials (401 Unauthorized),"
                    + " refresh them in your kubeconfig";
            case FORBIDDEN -> "forbidden: " + DbErrors.firstLine(serverSays)
                    + ", grant that right with a Role (README: RBAC) or use another --context";
            case CONFLICT -> status != null && "AlreadyExists".equals(status.getReason())
                    ? what + " was created by someone else meanwhile, run again"
                    : conflict(what, status, serverSays);
            default -> what + ": " + DbErrors.firstLine(serverSays);
        };
    }

    // A server-side apply conflict lists each field and its manager in the causes.
    private static String conflict(String what, Status status, String serverSays) {
        List<StatusCause> causes = status != null && status.getDetails() != null && status.getDetails().getCauses() != null
                ? status.getDetails().getCauses()
                : List.of();
        String fields = causes.isEmpty() ? DbErrors.firstLine(serverSays)
                : causes.stream().map(c -> c.getField() + " (" + c.getMessage() + ")").collect(Collectors.joining("; "));
        return what + " has fields that another field manager set: " + fields
                + ". Re-run with --force-conflicts to take them over";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return DbErrors.firstLine(message);
    }
}
