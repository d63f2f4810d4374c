package io.hivemesh.rest.internal.kube;

import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Authenticator;
import io.hivemesh.rest.internal.http.Responses;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /openapi/v3} and its documents for {@code api/v1} and {@code apis/apps/v1}; {@code /openapi/v2} is 404. */
public final class OpenApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Authenticator authenticator;

    public OpenApiServlet(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            authenticator.authenticate(req);
            String path = req.getRequestURI().substring(req.getContextPath().length());
            switch (path) {
                case "/openapi/v3", "/openapi/v3/" -> Responses.json(resp, 200, Discovery.openApiIndex());
                case "/openapi/v3/api/v1" -> Responses.json(resp, 200, Discovery.openApi(""));
                case "/openapi/v3/apis/apps/v1" -> Responses.json(resp, 200, Discovery.openApi("apps"));
                default -> throw ApiException.of(404, "NotFound", "the server could not find the requested resource");
            }
        } catch (ApiException e) {
            Responses.status(resp, e);
        }
    }
}
