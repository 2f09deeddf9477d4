package dev.hotline.simulator.agi;

import java.util.Map;

/**
 * The usage text Asterisk 22 prints between {@code 520-Invalid command syntax.  Proper usage follows:} and
 * {@code 520 End of proper usage.}: the command's XML description, one line per paragraph, inner tags kept.
 * STREAM FILE and SET VARIABLE are byte-for-byte from the recorded transcript; the others follow the same rendering
 * of Asterisk's documentation.
 */
final class AgiUsage {

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("stream file", """
                    Send the given file, allowing playback to be interrupted by the given digits, if any. \
                    Returns <literal>0</literal> if playback completes without a digit being pressed, or the ASCII \
                    numerical value of the digit if one was pressed, or <literal>-1</literal> on error or if the \
                    channel was disconnected. If musiconhold is playing before calling stream file it will be \
                    automatically stopped and will not be restarted after completion.
                    It sets the following channel variables upon completion:
                    <variable>PLAYBACKSTATUS</variable>: The status of the playback attempt as a text string.
                        <value>SUCCESS</value>
                        <value>FAILED</value>
                    """),
            Map.entry("set variable", "Sets a variable to the current channel.\n"),
            Map.entry("get variable", """
                    Returns <literal>0</literal> if <replaceable>variablename</replaceable> is not set. Returns \
                    <literal>1</literal> if <replaceable>variablename</replaceable> is set and returns the variable \
                    in parentheses.
                    Example return code: 200 result=1 (testvariable)
                    """),
            Map.entry("get full variable", """
                    Evaluates the given <replaceable>expression</replaceable> against the channel specified by \
                    <replaceable>variablename</replaceable>, or the current channel if <replaceable>channelname\
                    </replaceable> is not set. Returns <literal>0</literal> if <replaceable>variablename\
                    </replaceable> is not set or channel does not exist. Returns <literal>1</literal> if \
                    <replaceable>variablename</replaceable> is set and returns the variable in parenthesis. \
                    Understands complex variable names and builtin variables, unlike GET VARIABLE.
                    Example return code: 200 result=1 (testvariable)
                    """),
            Map.entry("get data", """
                    Stream the given <replaceable>file</replaceable>, and receive DTMF data.
                    Returns the digits received from the channel at the other end.
                    """),
            Map.entry("get option", "Behaves similar to STREAM FILE but used with a timeout option.\n"),
            Map.entry("wait for digit", """
                    Waits up to <replaceable>timeout</replaceable> milliseconds for channel to receive a DTMF digit. \
                    Returns <literal>-1</literal> on channel failure, <literal>0</literal> if no digit is received \
                    in the timeout, or the numerical value of the ascii of the digit if one is received. Use -1 for \
                    the <replaceable>timeout</replaceable> value if you desire the call to block indefinitely.
                    """),
            Map.entry("exec", """
                    Executes <replaceable>application</replaceable> with given <replaceable>options</replaceable>.
                    Returns whatever the <replaceable>application</replaceable> returns, or <literal>-2</literal> \
                    on failure to find <replaceable>application</replaceable>.
                    """),
            Map.entry("set music", """
                    Enables/Disables the music on hold generator. If <replaceable>class</replaceable> is not \
                    specified, then the <literal>default</literal> music on hold class will be used. This generator \
                    will be stopped automatically when playing a file.
                    Always returns <literal>0</literal>.
                    """),
            Map.entry("say digits", """
                    Say a given digit string, returning early if any of the given DTMF digits are received on the \
                    channel. Returns <literal>0</literal> if playback completes without a digit being pressed, or \
                    the ASCII numerical value of the digit if one was pressed or <literal>-1</literal> on \
                    error/hangup.
                    """),
            Map.entry("say number", """
                    Say a given number, returning early if any of the given DTMF digits are received on the \
                    channel.  Returns <literal>0</literal> if playback completes without a digit being pressed, or \
                    the ASCII numerical value of the digit if one was pressed or <literal>-1</literal> on \
                    error/hangup.
                    """),
            Map.entry("database get", """
                    Retrieves an entry in the Asterisk database for a given <replaceable>family</replaceable> and \
                    <replaceable>key</replaceable>.
                    Returns <literal>0</literal> if <replaceable>key</replaceable> is not set. Returns \
                    <literal>1</literal> if <replaceable>key</replaceable> is set and returns the variable in \
                    parenthesis.
                    Example return code: 200 result=1 (testvariable)
                    """),
            Map.entry("database put", """
                    Adds or updates an entry in the Asterisk database for a given <replaceable>family\
                    </replaceable>, <replaceable>key</replaceable>, and <replaceable>value</replaceable>.
                    Returns <literal>1</literal> if successful, <literal>0</literal> otherwise.
                    """),
            Map.entry("database del", """
                    Deletes an entry in the Asterisk database for a given <replaceable>family</replaceable> and \
                    <replaceable>key</replaceable>.
                    Returns <literal>1</literal> if successful, <literal>0</literal> otherwise.
                    """),
            Map.entry("verbose", """
                    Sends <replaceable>message</replaceable> to the console via verbose message system. \
                    <replaceable>level</replaceable> is the verbose level (1-4). Always returns <literal>1</literal>
                    """),
            Map.entry("set callerid", "Changes the callerid of the current channel.\n"));

    private AgiUsage() {
    }

    /** The full multi-line 520 reply for {@code command} (lower case, words separated by one space). */
    static String reply(String command) {
        String usage = TEXT.get(command);
        if (usage == null) {
            return "520 Invalid command syntax.  Proper usage not available.\n";
        }
        return "520-Invalid command syntax.  Proper usage follows:\n" + usage + "520 End of proper usage.\n";
    }
}
