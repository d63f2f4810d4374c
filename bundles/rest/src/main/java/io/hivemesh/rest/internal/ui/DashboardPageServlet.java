package io.hivemesh.rest.internal.ui;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /ui/}: the dashboard page and its script and style, from the bundle's resources (no
 * external CDN). Read-only and unauthenticated, on the node's HTTP port (127.0.0.1 by default).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ui/*")
@HttpWhiteboardServletName("hivemesh-dashboard-page")
public final class DashboardPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient DashboardAssets assets = DashboardAssets.load();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            resp.setStatus(301);
            resp.setHeader("Location", req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        DashboardAssets.Asset a = assets.get(path);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", DashboardAssets.CSP);
        if (a == null) {
            resp.sendError(404, "no such dashboard file: the dashboard serves " + assets.paths());
            return;
        }
        resp.setStatus(200);
        resp.setContentType(a.contentType());
        resp.setContentLength(a.bytes().length);
        resp.getOutputStream().write(a.bytes());
    }
}
