package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.hubble.proto.peer.NotifyRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code peer.Peer/Notify} call, its callbacks turned into events the searching thread
 * takes with a timeout.
 */
final class PeerStream implements ClientResponseObserver<NotifyRequest, ChangeNotification> {

    /** What happened on the stream, or that nothing did. */
    sealed interface Event permits Next, Silence, Completed, Failed {
    }

    /** A notification arrived. */
    record Next(ChangeNotification change) implements Event {
    }

    /** Nothing arrived within the wait. */
    record Silence() implements Event {
    }

    /** The server ended the stream. */
    record Completed() implements Event {
    }

    /** The call failed. */
    record Failed(Throwable error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<NotifyRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<NotifyRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(ChangeNotification change) {
        events.add(new Next(change));
    }

    @Override
    public void onError(Throwable error) {
        events.add(new Failed(error));
    }

    @Override
    public void onCompleted() {
        events.add(new Completed());
    }

    /** The next event, waiting at most {@code waitNanos}; events already queued come first. */
    Event next(long waitNanos) throws InterruptedException {
        Event event = waitNanos > 0 ? events.poll(waitNanos, TimeUnit.NANOSECONDS) : events.poll();
        return event == null ? new Silence() : event;
    }

    /** Ends the call; the stream would otherwise stay open for changes. */
    void cancel() {
        ClientCallStreamObserver<NotifyRequest> started = call;
        if (started != null) {
            started.cancel("the peer search is over", null);
        }
    }
}
