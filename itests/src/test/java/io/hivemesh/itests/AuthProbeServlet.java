package io.hivemesh.itests;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Test-only servlet: asks the node's {@code Authenticator} service (an internal interface of the
 * rest bundle, so through reflection) who sent the request and answers {@code 200 tenant=...
 * method=...}, or the 401 code and message it refused with.
 */
public final class AuthProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String AUTHENTICATOR = "io.hivemesh.rest.internal.http.Authenticator";

    private final transient BundleContext context;

    AuthProbeServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServiceReference<?> ref = context.getServiceReference(AUTHENTICATOR);
        if (ref == null) {
            answer(resp, 503, "no Authenticator service");
            return;
        }
        Object auth = context.getService(ref);
        try {
            Method m = auth.getClass().getMethod("authenticate", HttpServletRequest.class);
            Object caller = m.invoke(auth, req);
            Class<?> c = caller.getClass();
            answer(resp, 200, "tenant=" + c.getMethod("tenant").invoke(caller) + " method="
                    + c.getMethod("method").invoke(caller) + " subject=" + c.getMethod("subject").invoke(caller));
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            try {
                int code = (Integer) t.getClass().getMethod("code").invoke(t);
                String reason = (String) t.getClass().getMethod("reason").invoke(t);
                status(resp, code, reason, t.getMessage());
            } catch (ReflectiveOperationException r) {
                answer(resp, 500, String.valueOf(t));
            }
        } catch (ReflectiveOperationException e) {
            answer(resp, 500, e.toString());
        } finally {
            context.ungetService(ref);
        }
    }

    /** A Kubernetes Status, so that kubectl prints the message. */
    private static void status(HttpServletResponse resp, int code, String reason, String message) throws IOException {
        String m = message.replace("\\", "\\\\").replace("\"", "\\\"");
        resp.setStatus(code);
        resp.setContentType("application/json");
        resp.getOutputStream().write(("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"" + m + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpServletResponse resp, int code, String text) throws IOException {
        resp.setStatus(code);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
