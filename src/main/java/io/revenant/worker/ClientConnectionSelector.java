package io.revenant.worker;

import java.time.Duration;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Helidon's own HTTP/1.1 connection selector, with what real clients expect and Helidon 4.5.0
 * does not do: HTTP/1.0 requests answered, a disconnect mid-request closed quietly, and a deadline
 * on request heads ({@link RequestStream}, {@link ClientConnection}, {@link HeaderDeadline}).
 *
 * <p>A connection selector is Helidon's documented extension point between an accepted socket and
 * the protocol that serves it ({@code ListenerConfig.connectionSelectors}); it is the first place
 * where the bytes of a connection can be seen before Helidon's request-line parser, which rejects
 * HTTP/1.0 with no option to accept it. Helidon's {@code Http1Connection} still parses and serves
 * every request: this selector only hands it a reader over the socket's reader, and keeps the
 * connection in view for the deadline. It must be a listener's only selector (service discovery
 * off): with two, Helidon reads the first bytes to choose one before any timeout can see the
 * connection. Service discovery would also add HTTP/1.1 upgrades (WebSocket, h2c) found on the
 * classpath; there are none, and an application that adds one registers it on this selector.
 */
final class ClientConnectionSelector implements ServerConnectionSelector {

    private final ServerConnectionSelector http1 = Http1ConnectionSelector.builder()
            .config(Http1Config.create())
            .build();
    private final HeaderDeadline deadline;
    private final Drain drain;

    /** @param drain counts the public listener's connections for a stopping worker's drain */
    ClientConnectionSelector(Duration headerTimeout, Drain drain) {
        this.deadline = new HeaderDeadline(headerTimeout);
        this.drain = drain;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        boolean admin = WorkerServer.ADMIN_SOCKET.equals(ctx.listenerContext().config().name());
        ClientConnection connection = new ClientConnection(ctx, deadline, admin ? null : drain);
        RequestStream stream = new RequestStream(ctx.dataReader(), connection::arrived, authority(ctx.localPeer()));
        connection.serve(http1.connection(new Translated(ctx, DataReader.create(stream))));
        return connection;
    }

    private static String authority(PeerInfo local) {
        String host = local.host().contains(":") ? "[" + local.host() + "]" : local.host();
        return host + ":" + local.port();
    }

    /** The connection context Helidon gave, reading through a {@link RequestStream}. */
    private record Translated(ConnectionContext socket, DataReader dataReader) implements ConnectionContext {

        @Override
        public ListenerContext listenerContext() {
            return socket.listenerContext();
        }

        @Override
        public java.util.concurrent.ExecutorService executor() {
            return socket.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return socket.dataWriter();
        }

        @Override
        public Router router() {
            return socket.router();
        }

        @Override
        public java.util.Optional<io.helidon.webserver.ProxyProtocolData> proxyProtocolData() {
            return socket.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return socket.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return socket.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return socket.localPeer();
        }

        @Override
        public boolean isSecure() {
            return socket.isSecure();
        }

        @Override
        public String socketId() {
            return socket.socketId();
        }

        @Override
        public String childSocketId() {
            return socket.childSocketId();
        }
    }
}
