package io.hivemesh.rest.internal.health;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /healthz}: {@code 200 ok} while the node runs and serves HTTP (liveness, like
 * Kubernetes' {@code /healthz}); no credentials.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/healthz")
@HttpWhiteboardServletName("hivemesh-healthz")
public final class HealthzServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PlainText.write(resp, 200, "ok");
    }
}
