import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as Latchkey runs it (local/dynamodb-local.ts starts this file with `java`, which
 * compiles it in memory): the engine AWS ships, started from its own command line, but listening
 * on 127.0.0.1 only (its `-port` has no address, and it binds every interface), and behind a guard
 * that refuses, before any database is opened, every request whose SigV4 credential does not name
 * this data folder's access key ID and region. DynamoDB Local opens a database file for whatever
 * access key ID a client sends, so without the guard anyone who reaches the port could fill the
 * data folder. The access key ID and region arrive as the first line of standard input
 * ("<access key ID> <region>"), never on the command line, which every user of the machine can see.
 * Telemetry is never configured (DynamoDB Local's own main() is what sets it up).
 */
public final class LoopbackEngine {
  private static final Pattern CREDENTIAL =
      Pattern.compile("^AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/\\d{8}/([^/,\\s]+)/dynamodb/aws4_request,");
  private static final byte[] REFUSAL =
      ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#UnrecognizedClientException\","
              + "\"message\":\"The security token included in the request is invalid.\"}")
          .getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    String[] expected =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().trim().split(" ");
    if (expected.length != 2) throw new IllegalArgumentException("stdin: expected \"<access key ID> <region>\"");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");
    Handler engine = server.getHandler();
    server.setHandler((Handler) null);
    server.setHandler(new Guard(engine, expected[0], expected[1]));
    proxy.start();
    server.join();
  }

  /** Lets through only requests signed with this data folder's access key ID and region. */
  static final class Guard extends Handler.Wrapper {
    private final byte[] accessKeyId;
    private final byte[] region;

    Guard(Handler engine, String accessKeyId, String region) {
      super(engine);
      this.accessKeyId = accessKeyId.getBytes(StandardCharsets.UTF_8);
      this.region = region.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (allowed(request)) return super.handle(request, response, callback);
      response.setStatus(400);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-amz-json-1.0");
      response.write(true, ByteBuffer.wrap(REFUSAL), callback);
      return true;
    }

    private boolean allowed(Request request) {
      // The credential is read from the header alone: a query string could name another one.
      if (request.getHttpURI().getQuery() != null) return false;
      List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
      if (values.size() != 1) return false;
      String header = values.get(0);
      // One credential only, so the engine cannot read another one than the guard did.
      if (header.indexOf("Credential=") != header.lastIndexOf("Credential=")) return false;
      Matcher m = CREDENTIAL.matcher(header);
      if (!m.find()) return false;
      boolean key = MessageDigest.isEqual(m.group(1).getBytes(StandardCharsets.UTF_8), accessKeyId);
      boolean inRegion = MessageDigest.isEqual(m.group(2).getBytes(StandardCharsets.UTF_8), region);
      return key && inRegion;
    }
  }
}
