package dev.hubbletls.agent.hubble;

import java.time.Duration;

/** The calls the agent makes to the node-local Hubble server; tests replace it. */
public interface HubbleClient {

    /**
     * Calls {@code observer.Observer/ServerStatus}.
     *
     * @throws HubbleException when the server cannot be reached or does not answer in time
     */
    ServerStatus serverStatus(Duration timeout) throws HubbleException;

    /**
     * Reads {@code peer.Peer/Notify} until the wanted node arrives, the list goes quiet or
     * the timeout passes.
     *
     * @param nodeName {@code <node>} or {@code <cluster>/<node>}, matched as
     *                 {@link NodeName#matches} says
     * @throws HubbleException when the server cannot be reached, sends nothing in time, or
     *                         announces the wanted node with an unreadable address
     */
    PeerSearch findPeer(String nodeName, Duration timeout) throws HubbleException;
}
