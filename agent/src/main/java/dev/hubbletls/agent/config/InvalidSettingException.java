package dev.hubbletls.agent.config;

/** A setting with a value the agent cannot work with; stops start-up. */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidSettingException(String key, String value, String allowed) {
        super("invalid setting " + key + (value.isEmpty() ? "" : "=" + value) + ": " + allowed);
        this.key = key;
    }

    /** The setting's name, as the command line spells it without dashes. */
    public String key() {
        return key;
    }
}
