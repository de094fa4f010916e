package dev.hubbletls.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the merged configuration; every bad value becomes an
 * {@link InvalidSettingException} naming the key, the value and what is allowed.
 */
final class SettingsReader {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_SUBDOMAIN = 253;
    /** Integer.parseInt takes any Unicode digit; a setting is written in ASCII ones. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,9}");

    private final Map<String, String> values;

    SettingsReader(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The value of {@code key}, trimmed; the defaults in the jar give every key a value. */
    String text(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " has no default in the jar");
        }
        return value.strip();
    }

    Duration duration(String key, Duration min, Duration max) {
        Duration value = DurationText.parse(key, text(key));
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSettingException(key, text(key),
                    "must be between " + readable(min) + " and " + readable(max));
        }
        return value;
    }

    int wholeNumber(String key, int min, int max) {
        String value = text(key);
        if (WHOLE_NUMBER.matcher(value).matches()) {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw new InvalidSettingException(key, value,
                "expected a whole number from " + min + " to " + max);
    }

    boolean flag(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(key, text(key),
                    "expected true or false");
        };
    }

    /** A Kubernetes namespace name: a DNS label of at most 63 characters. */
    String namespace(String key) {
        String value = text(key);
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new InvalidSettingException(key, value,
                    "expected a namespace name: lower-case letters, digits and '-',"
                            + " at most 63 characters");
        }
        return value;
    }

    /** A Kubernetes object name: a DNS subdomain of at most 253 characters. */
    String objectName(String key) {
        String value = text(key);
        if (value.length() > MAX_SUBDOMAIN || !DNS_SUBDOMAIN.matcher(value).matches()) {
            throw new InvalidSettingException(key, value,
                    "expected an object name: lower-case letters, digits, '-' and '.',"
                            + " at most 253 characters");
        }
        return value;
    }

    private static String readable(Duration duration) {
        long seconds = duration.toSeconds();
        if (duration.toMillisPart() != 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
