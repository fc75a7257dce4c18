package io.learnflow.pgk8s.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * pgjdbc's {@code socketFactory} for a Unix-domain socket, over the JDK's own Unix-domain channels (JDK 16+), so it
 * needs no native library: pgjdbc passes the socket file ({@code socketFactoryArg}) to the constructor and connects
 * the returned socket, already connected, without resolving the host. Read timeouts (pgjdbc's socketTimeout) are
 * kept with a selector, since blocking channels ignore them.
 */
@RegisterForReflection
public final class UnixSocketFactory extends SocketFactory {
    private final Path socketFile;

    /** @param socketFile the socket file, {@code <directory>/.s.PGSQL.<port>} */
    public UnixSocketFactory(String socketFile) {
        this.socketFile = Path.of(socketFile);
    }

    @Override
    public Socket createSocket() throws IOException {
        return new UnixSocket(socketFile);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return createSocket();
    }

    /** A connected socket over a non-blocking channel; reads and writes wait on a selector. */
    static final class UnixSocket extends Socket {
        private final SocketChannel channel;
        private final Selector readSelector;
        private final Selector writeSelector;
        private volatile int soTimeoutMillis;
        private final InputStream in;
        private final OutputStream out;

        UnixSocket(Path socketFile) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socketFile));
                channel.configureBlocking(false);
                readSelector = Selector.open();
                writeSelector = Selector.open();
                channel.register(readSelector, SelectionKey.OP_READ);
                channel.register(writeSelector, SelectionKey.OP_WRITE);
            } catch (IOException e) {
                channel.close();
                // As a refused TCP connection: nothing listens there (libpq: "Is the server running locally...?").
                throw new ConnectException("cannot connect to " + socketFile + ": " + e.getMessage());
            }
            in = new ChannelInput();
            out = new ChannelOutput();
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) {
            // Connected in the constructor: pgjdbc checks isConnected() first.
        }

        @Override
        public void connect(SocketAddress endpoint) {
        }

        @Override
        public boolean isConnected() {
            return channel.isConnected();
        }

        @Override
        public boolean isClosed() {
            return !channel.isOpen();
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public void setSoTimeout(int timeout) {
            soTimeoutMillis = timeout;
        }

        @Override
        public int getSoTimeout() {
            return soTimeoutMillis;
        }

        // TCP options mean nothing on a Unix socket; pgjdbc sets some of them.
        @Override
        public void setTcpNoDelay(boolean on) {
        }

        @Override
        public boolean getTcpNoDelay() {
            return false;
        }

        @Override
        public void setKeepAlive(boolean on) {
        }

        @Override
        public boolean getKeepAlive() {
            return false;
        }

        @Override
        public void setReceiveBufferSize(int size) {
        }

        @Override
        public void setSendBufferSize(int size) {
        }

        @Override
        public void setSoLinger(boolean on, int linger) {
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                readSelector.close();
                writeSelector.close();
            } finally {
                channel.close();
                super.close();
            }
        }

        /** Waits until the selector's one key is ready, or soTimeout passes (SocketTimeoutException). */
        private void await(Selector selector) throws IOException {
            int timeout = soTimeoutMillis;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            while (true) {
                long remaining = timeout == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (timeout > 0 && remaining <= 0) {
                    throw new SocketTimeoutException("Read timed out");
                }
                int ready = selector.select(remaining);
                selector.selectedKeys().clear();
                if (ready > 0 || timeout == 0) {
                    return;
                }
            }
        }

        private final class ChannelInput extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0) {
                        return n;
                    }
                    await(readSelector);
                }
            }

            @Override
            public int available() throws IOException {
                return 0;
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        }

        private final class ChannelOutput extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(writeSelector);
                    }
                }
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        }
    }
}
