package org.livernode.dicom;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import org.jboss.logging.Logger;

import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.tls.DicomTls;
import org.livernode.dicom.tls.TlsPeer;

import javax.net.ssl.SSLSocket;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The C-ECHO / C-STORE SCP: listens on a port, checks the called and calling AE titles of each
 * A-ASSOCIATE-RQ, lets PixelMed negotiate the association with {@link StoragePresentationContextPolicy},
 * then answers each request with a status of its own (PixelMed's StorageSOPClassSCP always answers
 * Success, which would hide refused instances from the sender). Associations run in parallel, up to a limit.
 * Every byte read goes through a {@link PduReadGuard} (ARTIM, idle and PDU timeouts, PDU length limits); the
 * accepting thread only hands sockets on, so no peer can make it wait.
 */
final class StorageScp {
    private static final Logger LOG = Logger.getLogger(StorageScp.class);
    private static final AtomicInteger ASSOCIATION_NUMBERS = new AtomicInteger();
    /** A real A-ASSOCIATE-RQ with 128 presentation contexts of 8 transfer syntaxes each is about 40 KiB. */
    private static final long MAX_ASSOCIATE_REQUEST = 256 * 1024;
    /** Connections waiting for their A-ASSOCIATE-RQ, per association slot; beyond that a connection is closed at once. */
    private static final int HANDSHAKES_PER_SLOT = 4;

    private final String aeTitle;
    private final CallerPolicy callers;
    private final InstanceReceiver receiver;
    private final Runnable onRelease;
    private final NodeMetrics metrics;
    private final Semaphore slots;
    private final Semaphore handshakes;
    private final CallerLimit perCaller;
    private final PduReadGuard.Limits limits;
    private final int artimMs;
    private final ServerSocket server;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean stopping;

    /** Serves {@code server}, a plain or a TLS ({@code SSLServerSocket}) port already bound. */
    /**
     * @param onRelease run after an association's release marked a series released (a completion check now)
     */
    StorageScp(ServerSocket server, LivernodeConfig.Dicom settings, CallerPolicy callers, InstanceReceiver receiver,
               NodeMetrics metrics, Runnable onRelease) {
        this.onRelease = onRelease;
        this.aeTitle = settings.aeTitle();
        this.callers = callers;
        this.receiver = receiver;
        this.metrics = metrics;
        this.slots = new Semaphore(settings.maxAssociations());
        this.handshakes = new Semaphore(settings.maxAssociations() * HANDSHAKES_PER_SLOT);
        this.perCaller = new CallerLimit(settings.maxAssociationsPerCaller().orElse(Integer.MAX_VALUE));
        this.artimMs = millis(settings.artimTimeout());
        this.limits = new PduReadGuard.Limits(MAX_ASSOCIATE_REQUEST, maxPDataLength(), millis(settings.idleTimeout()),
                millis(settings.pduTimeout()));
        this.server = server;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-association");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "dicom-acceptor-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The longest P-DATA-TF the node reads. It announces PixelMed's Maximum Length (16 KiB), but some senders
     * (PixelMed's own Association.send among them) put a whole data set in one PDU; 16 MiB per PDU and
     * association tolerates them and still bounds what a peer can make the node allocate.
     */
    private static long maxPDataLength() {
        return Math.max(AssociationFactory.getDefaultMaximumLengthReceived(), 16L << 20);
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    int port() {
        return server.getLocalPort();
    }

    boolean isListening() {
        return !stopping && server.isBound() && !server.isClosed() && acceptor.isAlive();
    }

    void stop() {
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.warnf("closing the DICOM port: %s", e.getMessage());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!stopping) {
            try {
                Socket socket = server.accept();
                if (!handshakes.tryAcquire()) {
                    metrics.association("rejected-busy");
                    LOG.warnf("connection from %s closed: %d connections are already waiting for their A-ASSOCIATE-RQ",
                            socket.getInetAddress(), slots.availablePermits() + handshakes.availablePermits());
                    socket.close();
                    continue;
                }
                open.add(socket);
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        open.remove(socket);
                    }
                });
            } catch (SocketException e) {
                if (!stopping) {
                    LOG.errorf(e, "DICOM port %d: accept failed", server.getLocalPort());
                }
            } catch (Exception e) {
                LOG.errorf(e, "DICOM port %d: accept failed", server.getLocalPort());
            }
        }
    }

    private void serve(Socket socket) {
        int number = ASSOCIATION_NUMBERS.incrementAndGet();
        String host = socket.getInetAddress().getHostAddress();
        AssociationContext ctx = new AssociationContext(number, "?", aeTitle, host, null);
        DimseRequestReceiver request = null;
        PduReadGuard guard = null;
        boolean handshaking = true;
        boolean released = false;
        Runnable freeSlot = () -> { };
        metrics.associationOpened();
        try {
            TlsPeer tls = socket instanceof SSLSocket ssl ? handshake(ssl, ctx) : null;
            if (socket instanceof SSLSocket && tls == null) {
                return;
            }
            java.util.concurrent.atomic.AtomicReference<AssociationContext> who = new java.util.concurrent.atomic.AtomicReference<>(ctx);
            guard = new PduReadGuard(socket, limits, artimMs, () -> ended(who.get(), true));
            AssociationRequestPeek peek = AssociationRequestPeek.read(guard);
            if (peek.isAssociateRequest()) {
                ctx = new AssociationContext(number, peek.callingAeTitle(), peek.calledAeTitle(), host, tls);
                who.set(ctx);
                if (refused(socket, peek, ctx)) {
                    return;
                }
            }
            String caller = (peek.callingAeTitle() == null ? "" : peek.callingAeTitle()) + "@" + host;
            if (!slots.tryAcquire()) {
                refuseBusy(socket, ctx, "all association slots (livernode.dicom.max-associations) are busy");
                return;
            }
            if (!perCaller.tryAcquire(caller)) {
                slots.release();
                refuseBusy(socket, ctx, caller + " holds livernode.dicom.max-associations-per-caller associations");
                return;
            }
            freeSlot = once(() -> {
                slots.release();
                perCaller.release(caller);
            });
            handshakes.release();
            handshaking = false;
            Association association = AssociationFactory.createNewAssociation(
                    new PeekedSocket(socket, new SequenceInputStream(new ByteArrayInputStream(peek.bytes()), guard), freeSlot),
                    aeTitle, new StoragePresentationContextPolicy());
            metrics.association("accepted");
            LOG.debugf("%s: association accepted", ctx.log());
            while (true) {
                request = newRequest(ctx, association);
                association.setReceivedDataHandler(request);
                association.waitForPDataPDUsUntilHandlerReportsDone();
                DimseStatus status = request.finish();
                association.send(request.presentationContextId(), request.responseBytes(status), null);
                request = null;
            }
        } catch (AReleaseException e) {
            LOG.debugf("%s: association released", ctx.log());
            released = true;
        } catch (DicomNetworkException | IOException e) {
            PduReadGuard.AbsurdPduException absurd = guard == null ? null : guard.refusal();
            if (absurd != null) {
                metrics.association("aborted-invalid-pdu");
                LOG.warnf("%s: A-ABORT: %s", ctx.log(), absurd.getMessage());
            } else if (request != null && request.isStore()) {
                metrics.association("aborted");
                LOG.warnf("%s: association ended during a C-STORE (%s): the partial instance is dropped, not indexed",
                        ctx.log(), e.getMessage());
            } else if (!stopping) {
                LOG.infof("%s: association ended: %s", ctx.log(), e.getMessage());
            }
        } catch (Exception e) {
            LOG.errorf(e, "%s: association failed", ctx.log());
        } finally {
            if (request != null) {
                request.discard();
            }
            if (handshaking) {
                handshakes.release();
            }
            closeQuietly(socket);
            freeSlot.run();
            metrics.associationClosed();
            ended(ctx, released); // after an A-RELEASE-RQ, already done: this finds nothing left
        }
    }

    private void ended(AssociationContext ctx, boolean released) {
        if (receiver.associationEnded(ctx, released)) {
            onRelease.run();
        }
    }

    /**
     * The TLS handshake, within the ARTIM time; null when it failed (no or an untrusted client certificate, plain
     * DICOM on the TLS port, no common protocol): the connection is closed and the refusal audited.
     */
    private TlsPeer handshake(SSLSocket socket, AssociationContext ctx) {
        try {
            TlsPeer peer = DicomTls.handshake(socket, artimMs);
            LOG.debugf("%s: TLS %s %s, peer %s", ctx.log(), peer.protocol(), peer.cipherSuite(), peer.subject());
            return peer;
        } catch (IOException e) {
            metrics.association("rejected-tls");
            String why = "TLS handshake failed: " + e.getMessage();
            LOG.warnf("%s: connection refused: %s", ctx.log(), why);
            receiver.refusedCaller(null, ctx.callingHost(), why);
            return null;
        }
    }

    /** Called AE title not ours, or calling AE not allowed: A-ASSOCIATE-RJ (permanent). */
    private boolean refused(Socket socket, AssociationRequestPeek peek, AssociationContext ctx) throws IOException {
        if (!aeTitle.equals(peek.calledAeTitle())) {
            AssociationRequestPeek.reject(socket, 1, 1, 7);
            metrics.association("rejected-called-ae");
            LOG.warnf("%s: association rejected: called AE title '%s' is not ours ('%s')", ctx.log(),
                    peek.calledAeTitle(), aeTitle);
            return true;
        }
        if (!callers.allows(peek.callingAeTitle(), socket.getInetAddress())) {
            // audited before the caller hears of it
            receiver.refusedCaller(peek.callingAeTitle(), ctx.callingHost(), "calling AE title not in livernode.dicom.allowed-callers");
            AssociationRequestPeek.reject(socket, 1, 1, 3);
            metrics.association("rejected-calling-ae");
            LOG.warnf("%s: association rejected: calling AE title not in livernode.dicom.allowed-callers", ctx.log());
            return true;
        }
        return false;
    }

    /** Local limit exceeded (transient): the caller may try again later. */
    private void refuseBusy(Socket socket, AssociationContext ctx, String why) {
        try {
            AssociationRequestPeek.reject(socket, 2, 3, 2);
        } catch (IOException e) {
            LOG.debugf("%s: refusing a busy association: %s", ctx.log(), e.getMessage());
        }
        metrics.association("rejected-busy");
        LOG.warnf("%s: association refused: %s", ctx.log(), why);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static Runnable once(Runnable r) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                r.run();
            }
        };
    }

    private DimseRequestReceiver newRequest(AssociationContext ctx, Association association) {
        return new DimseRequestReceiver(new DimseRequestReceiver.StoreStart() {
            @Override
            public InstanceReception begin(int messageId, String sopClass, String sopInstance, byte pcid) throws IOException {
                String ts;
                try {
                    ts = association.getTransferSyntaxForPresentationContextID(pcid);
                } catch (DicomNetworkException e) {
                    throw new IOException(e.getMessage(), e);
                }
                String abstractSyntax = negotiatedSopClass(association, sopClass, ts);
                InstanceReception r = receiver.begin(ctx, messageId, sopClass, sopInstance, abstractSyntax, ts);
                if (r.refusal() != null) {
                    receiver.refusedUpFront(r);
                }
                return r;
            }

            @Override
            public DimseStatus admit(InstanceReception received) {
                return receiver.admit(received);
            }
        });
    }

    /**
     * The command's SOP class if it was negotiated with this transfer syntax, else "" (PixelMed keeps the
     * accepted contexts private and only looks them up by SOP class and transfer syntax).
     */
    private static String negotiatedSopClass(Association association, String sopClass, String transferSyntax) {
        try {
            association.getSuitablePresentationContextID(sopClass, transferSyntax);
            return sopClass;
        } catch (DicomNetworkException e) {
            return "";
        }
    }
}
