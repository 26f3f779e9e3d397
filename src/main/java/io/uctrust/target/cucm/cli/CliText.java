package io.uctrust.target.cucm.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading what the admin CLI printed: terminal text made plain ({@link #normalize}), the {@code admin:}
 * prompt, a command's output without its echo and the next prompt, refusals, and the device tables of the
 * CAPF list commands. Every reader is strict: text it does not recognise is reported as such
 * ({@link Unrecognised}), never guessed at.
 *
 * <p>Not for: other devices' CLIs, or output of commands uctrust does not run (use {@link AdminCli#run}
 * and read the text yourself).
 */
final class CliText {
  static final String PROMPT = "admin:";

  private static final Pattern OSC = Pattern.compile("\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?");
  private static final Pattern CSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");
  private static final Pattern ESCAPE = Pattern.compile("\u001B[ -/]*[0-~]?");
  private static final Pattern COLUMN_GAP = Pattern.compile("\\s{2,}|\\t+");
  private static final Pattern SEPARATOR = Pattern.compile("[\\s\\-=+|]+");
  private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern NONE = Pattern.compile(
      "(?i)\\s*(?:there\\s+are\\s+)?no\\s+.*\\b(?:found|present|available|exist|pending)\\b.*");
  private static final Pattern TOTAL = Pattern.compile("(?i)\\s*(?:total|count)\\b\\D*(\\d+)\\D*");
  private static final Pattern REFUSAL = Pattern.compile("(?i)\\b(?:error|errors|invalid|fail|failed|failure|"
      + "unsuccessful|unsuccessfully|denied|not allowed|not permitted|out of range|not supported|"
      + "unknown command|syntax error|incorrect|aborted|cancelled|canceled)\\b");

  private CliText() {}

  /** Output the readers do not recognise; the reason is for a message and holds no output. */
  static final class Unrecognised extends Exception {
    private static final long serialVersionUID = 1L;

    Unrecognised(String reason) {
      super(reason);
    }
  }

  /**
   * Terminal output as plain lines: escape sequences removed, backspaces applied, {@code \r\n} and lone
   * {@code \r} turned into {@code \n}, other control characters removed (tabs kept).
   */
  static String normalize(String raw) {
    String text = OSC.matcher(raw).replaceAll("");
    text = CSI.matcher(text).replaceAll("");
    text = ESCAPE.matcher(text).replaceAll("");
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        while (i + 1 < text.length() && text.charAt(i + 1) == '\r') {
          i++;
        }
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        out.append('\n');
      } else if (c == '\b') {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
          out.setLength(out.length() - 1);
        }
      } else if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether normalized text ends with the {@code admin:} prompt at the start of a line. */
  static boolean endsWithPrompt(String normalized) {
    String text = stripTrailingBlanks(normalized);
    if (!text.endsWith(PROMPT)) {
      return false;
    }
    int before = text.length() - PROMPT.length() - 1;
    return before < 0 || text.charAt(before) == '\n';
  }

  /** The unfinished last line of normalized text (where the cursor waits), or "" after a newline. */
  static String lastLine(String normalized) {
    return normalized.substring(normalized.lastIndexOf('\n') + 1);
  }

  /**
   * A command's output from the normalized text that followed it: the echoed command line at the start
   * and the prompt at the end removed, trailing blank lines removed.
   */
  static String commandOutput(String normalized, String command) {
    String text = stripTrailingBlanks(normalized);
    if (endsWithPrompt(text)) {
      text = text.substring(0, text.length() - PROMPT.length());
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    if (!lines.isEmpty() && isEcho(lines.get(0), command)) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    return String.join("\n", lines);
  }

  /** Whether a line is the terminal's echo of {@code sent} (possibly after the prompt). */
  static boolean isEcho(String line, String sent) {
    String trimmed = line.strip();
    String expected = sent.strip();
    return !expected.isEmpty() && (trimmed.equals(expected) || trimmed.equals(PROMPT + expected)
        || trimmed.equals(PROMPT + " " + expected));
  }

  /** The non-blank lines of an output, trailing blanks removed. */
  static List<String> lines(String output) {
    List<String> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        lines.add(stripTrailingBlanks(line));
      }
    }
    return lines;
  }

  /** The first line that says the command failed or was refused, if any. */
  static Optional<String> refusal(List<String> lines) {
    return lines.stream().filter(line -> REFUSAL.matcher(line).find()).findFirst();
  }

  /** Whether {@code line} contains {@code word} as a whole word, ignoring case. */
  static boolean hasWord(String line, String word) {
    return Pattern.compile("(?i)(?<![A-Za-z0-9])" + Pattern.quote(word) + "(?![A-Za-z0-9])").matcher(line).find();
  }

  /**
   * Reads a device table: either one line saying there is nothing ("No stale LSC certificates found"), or
   * optional title lines ending in {@code :}, a header line whose columns are separated by two or more
   * spaces and one of which names the device, an optional separator line of dashes, rows with exactly the
   * header's columns, and an optional total that must match the number of rows. One map per row, header
   * to cell, in column order.
   */
  static List<Map<String, String>> deviceTable(List<String> lines) throws Unrecognised {
    if (lines.isEmpty()) {
      throw new Unrecognised("the command printed nothing (neither a table nor a line saying the list is empty)");
    }
    if (lines.size() == 1 && (NONE.matcher(lines.get(0)).matches() || isZeroTotal(lines.get(0)))) {
      return List.of();
    }
    int index = 0;
    while (index < lines.size() && lines.get(index).strip().endsWith(":") && !lines.get(index).contains("  ")) {
      index++;
    }
    if (index >= lines.size()) {
      throw new Unrecognised("no table header after the title lines");
    }
    List<String> header = columns(lines.get(index));
    int deviceColumn = -1;
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).toLowerCase(Locale.ROOT).contains("device")) {
        deviceColumn = i;
        break;
      }
    }
    if (header.size() < 2 || deviceColumn < 0) {
      throw new Unrecognised("output line " + (index + 1) + " is not a table header with a device column");
    }
    index++;
    if (index < lines.size() && SEPARATOR.matcher(lines.get(index)).matches()) {
      index++;
    }
    List<Map<String, String>> rows = new ArrayList<>();
    Integer total = null;
    for (; index < lines.size(); index++) {
      String line = lines.get(index);
      Matcher totalLine = TOTAL.matcher(line);
      if (totalLine.matches()) {
        if (total != null) {
          throw new Unrecognised("two total lines");
        }
        total = Integer.parseInt(totalLine.group(1));
        continue;
      }
      if (total != null) {
        throw new Unrecognised("output line " + (index + 1) + " follows the total line");
      }
      List<String> cells = columns(line);
      if (cells.size() != header.size()) {
        throw new Unrecognised("output line " + (index + 1) + " has " + cells.size() + " columns, the header has "
            + header.size());
      }
      if (!DEVICE_NAME.matcher(cells.get(deviceColumn)).matches()) {
        throw new Unrecognised("output line " + (index + 1) + " has no device name in column '" + header.get(deviceColumn)
            + "'");
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        if (row.put(header.get(i), cells.get(i)) != null) {
          throw new Unrecognised("the header repeats column '" + header.get(i) + "'");
        }
      }
      rows.add(Collections.unmodifiableMap(row));
    }
    if (total != null && total != rows.size()) {
      throw new Unrecognised("the total says " + total + " but the table has " + rows.size() + " rows");
    }
    return List.copyOf(rows);
  }

  /** The header of the device column of a table row map. */
  static String deviceColumn(Map<String, String> row) {
    return row.keySet().stream().filter(name -> name.toLowerCase(Locale.ROOT).contains("device")).findFirst()
        .orElseThrow();
  }

  private static boolean isZeroTotal(String line) {
    Matcher total = TOTAL.matcher(line);
    return total.matches() && Integer.parseInt(total.group(1)) == 0;
  }

  private static List<String> columns(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : COLUMN_GAP.split(line.strip())) {
      if (!cell.isEmpty()) {
        cells.add(cell);
      }
    }
    return cells;
  }

  private static String stripTrailingBlanks(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
      end--;
    }
    return text.substring(0, end);
  }
}
