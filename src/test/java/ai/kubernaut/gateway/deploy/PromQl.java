package ai.kubernaut.gateway.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to list the series and labels an expression names: identifiers that are not
 * functions, keywords or inside label matchers, ranges and groupings are series names.
 */
record PromQl(Set<String> series, Set<String> labels) {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring");

  static PromQl parse(String expression) {
    Set<String> labels = new LinkedHashSet<>();
    String text = STRING.matcher(expression).replaceAll("\"\"");
    Matcher matchers = MATCHERS.matcher(text);
    while (matchers.find()) {
      Matcher label = MATCHER_LABEL.matcher(matchers.group(1));
      while (label.find()) {
        labels.add(label.group(1));
      }
    }
    text = MATCHERS.matcher(text).replaceAll(" ");
    text = RANGE.matcher(text).replaceAll(" ");
    Matcher grouping = GROUPING.matcher(text);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    text = GROUPING.matcher(text).replaceAll(" ");
    text = STRING.matcher(text).replaceAll(" ");
    Set<String> series = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(text);
    while (identifier.find()) {
      String name = identifier.group();
      boolean function = text.substring(identifier.end()).stripLeading().startsWith("(");
      boolean number =
          identifier.start() > 0 && Character.isDigit(text.charAt(identifier.start() - 1));
      if (!function && !number && !KEYWORDS.contains(name)) {
        series.add(name);
      }
    }
    return new PromQl(series, labels);
  }
}
