package dev.hubbletls.agent.watch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The most recent rotations, oldest first, bounded so that a flapping volume cannot grow
 * the agent's memory. Subscribers hear of each rotation as it is recorded.
 */
public final class RotationLog {

    /** How many rotations are kept when no capacity is given. */
    public static final int DEFAULT_CAPACITY = 100;

    private static final Logger LOG = Logger.getLogger(RotationLog.class.getName());

    private final int capacity;
    private final Deque<Rotation> rotations = new ArrayDeque<>();
    private final List<Consumer<Rotation>> subscribers = new CopyOnWriteArrayList<>();

    public RotationLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** A log keeping {@link #DEFAULT_CAPACITY} rotations. */
    public RotationLog() {
        this(DEFAULT_CAPACITY);
    }

    /** Keeps {@code rotation}, dropping the oldest past the capacity, and tells subscribers. */
    public void record(Rotation rotation) {
        synchronized (rotations) {
            rotations.addLast(rotation);
            while (rotations.size() > capacity) {
                rotations.removeFirst();
            }
        }
        for (Consumer<Rotation> subscriber : subscribers) {
            notify(subscriber, rotation);
        }
    }

    /** The kept rotations, oldest first. */
    public List<Rotation> recent() {
        synchronized (rotations) {
            return List.copyOf(rotations);
        }
    }

    /** Calls {@code subscriber} with every rotation recorded from now on. */
    public void subscribe(Consumer<Rotation> subscriber) {
        subscribers.add(subscriber);
    }

    private static void notify(Consumer<Rotation> subscriber, Rotation rotation) {
        try {
            subscriber.accept(rotation);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a rotation subscriber failed; the rotation stays recorded",
                    e);
        }
    }
}
