package io.hivemesh.rest.internal.kube;

import io.hivemesh.rest.internal.http.Responses;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /version}, the one Kubernetes endpoint open without credentials. */
public final class VersionServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final String agent;

    public VersionServlet(String agent) {
        this.agent = agent;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Responses.json(resp, 200, Discovery.version(agent));
    }
}
