package org.livernode.dicom;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 */
final class StorageScp {
    private static final Logger LOG = Logger.getLogger(StorageScp.class);
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private static final AtomicInteger ASSOCIATION_NUMBERS = new AtomicInteger();

    private final String aeTitle;
    private final CallerPolicy callers;
    private final InstanceReceiver receiver;
    private final NodeMetrics metrics;
    private final Semaphore slots;
    private final ServerSocket server;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean stopping;

    StorageScp(String aeTitle, String bindAddress, int port, int maxAssociations, CallerPolicy callers,
               InstanceReceiver receiver, NodeMetrics metrics) throws IOException {
        this.aeTitle = aeTitle;
        this.callers = callers;
        this.receiver = receiver;
        this.metrics = metrics;
        this.slots = new Semaphore(maxAssociations);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 64);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-association");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "dicom-acceptor-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
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
                if (!slots.tryAcquire()) {
                    refuseBusy(socket);
                    continue;
                }
                open.add(socket);
                AtomicBoolean slotHeld = new AtomicBoolean(true);
                Runnable freeSlot = () -> {
                    if (slotHeld.compareAndSet(true, false)) {
                        slots.release();
                    }
                };
                workers.execute(() -> {
                    try {
                        serve(socket, freeSlot);
                    } finally {
                        open.remove(socket);
                        freeSlot.run();
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

    private void refuseBusy(Socket socket) {
        try (socket) {
            socket.setSoTimeout(REQUEST_TIMEOUT_MS);
            AssociationRequestPeek.read(socket);
            AssociationRequestPeek.reject(socket, 2, 3, 2);
            metrics.association("rejected-busy");
            LOG.warnf("association from %s refused: all association slots are busy", socket.getInetAddress());
        } catch (IOException e) {
            LOG.debugf("refusing a busy association: %s", e.getMessage());
        }
    }

    private void serve(Socket socket, Runnable freeSlot) {
        int number = ASSOCIATION_NUMBERS.incrementAndGet();
        String host = socket.getInetAddress().getHostAddress();
        AssociationContext ctx = new AssociationContext(number, "?", aeTitle, host);
        DimseRequestReceiver request = null;
        metrics.associationOpened();
        try (socket) {
            socket.setSoTimeout(REQUEST_TIMEOUT_MS);
            AssociationRequestPeek peek = AssociationRequestPeek.read(socket);
            if (peek.isAssociateRequest()) {
                ctx = new AssociationContext(number, peek.callingAeTitle(), peek.calledAeTitle(), host);
                if (!aeTitle.equals(peek.calledAeTitle())) {
                    AssociationRequestPeek.reject(socket, 1, 1, 7);
                    metrics.association("rejected-called-ae");
                    LOG.warnf("%s: association rejected: called AE title '%s' is not ours ('%s')", ctx.log(),
                            peek.calledAeTitle(), aeTitle);
                    return;
                }
                if (!callers.allows(peek.callingAeTitle(), socket.getInetAddress())) {
                    AssociationRequestPeek.reject(socket, 1, 1, 3);
                    metrics.association("rejected-calling-ae");
                    LOG.warnf("%s: association rejected: calling AE title not in livernode.dicom.allowed-callers", ctx.log());
                    receiver.refusedCaller(peek.callingAeTitle(), ctx.callingHost(), "calling AE title not in livernode.dicom.allowed-callers");
                    return;
                }
            }
            Association association = AssociationFactory.createNewAssociation(new PeekedSocket(socket, peek.bytes(), freeSlot),
                    aeTitle, new StoragePresentationContextPolicy());
            socket.setSoTimeout(0);
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
        } catch (DicomNetworkException | IOException e) {
            if (request != null && request.isStore()) {
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
            metrics.associationClosed();
        }
    }

    private DimseRequestReceiver newRequest(AssociationContext ctx, Association association) {
        return new DimseRequestReceiver((messageId, sopClass, sopInstance, pcid) -> {
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
