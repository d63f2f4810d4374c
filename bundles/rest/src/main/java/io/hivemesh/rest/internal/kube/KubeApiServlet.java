package io.hivemesh.rest.internal.kube;

import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Authenticator;
import io.hivemesh.rest.internal.http.Caller;
import io.hivemesh.rest.internal.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /api/*} and {@code /apis/*}: authenticates, takes the path apart and hands the request to
 * the discovery documents or to {@link ObjectApi}; every failure becomes a {@code Status}.
 */
public final class KubeApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KubeApiServlet.class);

    private final transient Authenticator authenticator;
    private final transient ObjectApi objects;

    public KubeApiServlet(Authenticator authenticator, ObjectApi objects) {
        this.authenticator = authenticator;
        this.objects = objects;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            Caller caller = authenticator.authenticate(req);
            String path = req.getRequestURI().substring(req.getContextPath().length());
            ApiPath p = ApiPath.parse(path).orElseThrow(() -> ApiException.of(404, "NotFound",
                    "the server could not find the requested resource"));
            if (p.discovery()) {
                discovery(req, resp, p);
            } else {
                objects.handle(req, resp, p, caller);
            }
        } catch (ApiException e) {
            Responses.status(resp, e);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            Responses.status(resp, ApiException.internal("the request failed on the server: " + e));
        }
    }

    private static void discovery(HttpServletRequest req, HttpServletResponse resp, ApiPath p) throws IOException {
        if (!req.getMethod().equals("GET")) {
            throw ApiException.methodNotAllowed(req.getMethod() + " is not allowed on discovery documents");
        }
        boolean aggregated = Discovery.wantsAggregated(req.getHeader("Accept"));
        String uri = req.getRequestURI().substring(req.getContextPath().length());
        if (uri.endsWith("/")) {
            uri = uri.substring(0, uri.length() - 1);
        }
        switch (uri) {
            case "/api" -> {
                if (aggregated) {
                    Responses.json(resp, 200, Discovery.AGGREGATED, Discovery.aggregated(true));
                } else {
                    Responses.json(resp, 200, Discovery.legacyCore());
                }
            }
            case "/apis" -> {
                if (aggregated) {
                    Responses.json(resp, 200, Discovery.AGGREGATED, Discovery.aggregated(false));
                } else {
                    Responses.json(resp, 200, Discovery.legacyGroups());
                }
            }
            case "/api/v1" -> Responses.json(resp, 200, Discovery.resourceList(""));
            case "/apis/apps" -> Responses.json(resp, 200, Discovery.legacyGroup());
            case "/apis/apps/v1" -> Responses.json(resp, 200, Discovery.resourceList("apps"));
            default -> throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
        }
    }
}
