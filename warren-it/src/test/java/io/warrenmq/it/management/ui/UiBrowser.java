package io.warrenmq.it.management.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warrenmq.it.support.BrokerExtension;
import io.warrenmq.it.support.ManagementHttp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's {@code chromium} through {@code chromedriver}) on the UI of one
 * test broker, with what the tests do as a user does it: open a page, fill a form, click, wait for
 * a text. Waits poll the page (WebDriverWait), never sleep. Screenshots go to
 * {@code target/ui-screenshots/}; downloads to a fresh directory.
 *
 * <p>Without chromedriver the test class is skipped (an assumption), nowhere else.
 */
final class UiBrowser implements AutoCloseable {
  static final Path DRIVER = Path.of(System.getProperty("warren.chromedriver", "/usr/bin/chromedriver"));
  static final Path CHROMIUM = Path.of(System.getProperty("warren.chromium", "/usr/bin/chromium"));
  private static final Path SHOTS = Path.of(System.getProperty("warren.ui.screenshots", "target/ui-screenshots"));
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Selenium warns that it has no DevTools bindings for this Chromium; we use none. Kept referenced. */
  private static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM.setLevel(java.util.logging.Level.SEVERE);
  }

  final String base;
  /** The API as guest; {@link #apiAs} for another user. */
  final ManagementHttp api;
  private final int apiPort;
  final int amqpPort;
  final Path downloads;
  private final Path profile;
  private final ChromeDriver driver;
  private final WebDriverWait wait;
  private final String prefix;

  private UiBrowser(String base, int apiPort, int amqpPort, String prefix) throws IOException {
    this.base = base;
    this.apiPort = apiPort;
    this.api = apiAs("guest", "guest");
    this.amqpPort = amqpPort;
    this.prefix = prefix;
    profile = Files.createTempDirectory("warren-ui-chromium-");
    downloads = Files.createTempDirectory("warren-ui-downloads-");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    // the flags this machine needs: no sandbox as root, no GPU, and no background traffic
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions", "--window-size=1400,1000", "--user-data-dir=" + profile);
    o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, o);
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
  }

  /**
   * A browser on the broker's UI. For working on the UI against another server (RabbitMQ behind a
   * proxy that serves www/), {@code -Dwarren.ui.target=UI_PORT,API_PORT,AMQP_PORT} points it there.
   */
  static UiBrowser on(BrokerExtension broker, String testClass) throws IOException {
    assumeTrue(Files.isExecutable(DRIVER), "chromedriver is not installed: " + DRIVER);
    String target = System.getProperty("warren.ui.target");
    if (target != null && !target.isBlank()) {
      String[] p = target.split(",");
      return new UiBrowser("http://127.0.0.1:" + p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), testClass);
    }
    return new UiBrowser("http://127.0.0.1:" + broker.managementPort(), broker.managementPort(), broker.port(), testClass);
  }

  /**
   * Adds a user with tags: through the broker itself when the browser is on the test broker (so
   * that the login tests need nothing but /api/whoami), through the API on another target.
   */
  void addUser(BrokerExtension broker, String name, String password, String... tags) {
    if (System.getProperty("warren.ui.target", "").isBlank()) {
      broker.server().broker().addUser(name, password, List.of(tags));
    } else {
      api.put("/api/users/" + name, Map.of("password", password, "tags", String.join(",", tags)));
    }
  }

  ManagementHttp apiAs(String user, String password) {
    return new ManagementHttp("127.0.0.1", apiPort, user, password);
  }

  WebDriver driver() {
    return driver;
  }

  /** Opens a page of the UI by its route ("#/queues"); the session (sessionStorage) stays. */
  UiBrowser open(String route) {
    String url = base + "/" + route;
    if (url.equals(driver.getCurrentUrl())) {
      driver.navigate().refresh();
    } else {
      driver.get(url);
    }
    return this;
  }

  /** The login page, filled and sent. */
  UiBrowser login(String user, String password) {
    driver.get(base + "/");
    if (script("return sessionStorage.getItem('warren.auth')") != null) {
      script("sessionStorage.clear()");
      driver.navigate().refresh();
    }
    WebElement u = visible(By.id("username"));
    u.clear();
    u.sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("login-button")).click();
    return this;
  }

  /** Logged in as guest with the overview drawn. */
  UiBrowser loginAsGuest() {
    login("guest", "guest");
    visible(By.id("logout"));
    return this;
  }

  WebElement visible(By by) {
    return until(() -> "visible " + by, ExpectedConditions.visibilityOfElementLocated(by));
  }

  private int failures;

  /** wait.until, with a screenshot (failure-N.png) when the condition does not come true. */
  private <T> T until(java.util.function.Supplier<String> what, java.util.function.Function<? super WebDriver, T> condition) {
    try {
      return wait.withMessage(what).until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      screenshot("failure-" + ++failures);
      throw e;
    }
  }

  /** Waits until the element's text contains {@code text}; returns the element. */
  WebElement waitText(By by, String text) {
    until(() -> "text '" + text + "' in " + by + "; page: " + bodyText(),
        ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  /** Waits until the page shows {@code text} somewhere. */
  void waitPageText(String text) {
    waitText(By.tagName("body"), text);
  }

  /** Waits until the element's text no longer contains {@code text}. */
  void waitNoText(By by, String text) {
    until(() -> "no text '" + text + "' in " + by + "; page: " + bodyText(), d -> !d.findElement(by).getText().contains(text));
  }

  String bodyText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  void click(By by) {
    until(() -> "clickable " + by, ExpectedConditions.elementToBeClickable(by)).click();
  }

  /** Types into the form's control named {@code name} (its previous text replaced). */
  void type(String formId, String name, String text) {
    WebElement e = visible(By.cssSelector("#" + formId + " [name='" + name + "']"));
    // select all, then type over it: one command instead of clear + sendKeys
    e.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), text.isEmpty() ? org.openqa.selenium.Keys.DELETE.toString() : text);
  }

  void select(String formId, String name, String value) {
    new Select(visible(By.cssSelector("#" + formId + " select[name='" + name + "']"))).selectByValue(value);
  }

  void check(String formId, String name) {
    WebElement e = visible(By.cssSelector("#" + formId + " [name='" + name + "']"));
    if (!e.isSelected()) {
      e.click();
    }
  }

  /** The form's key/value rows (arguments, headers): the last, blank row gets key = value. */
  void argument(String formId, String key, String value) {
    List<WebElement> keys = driver.findElements(By.cssSelector("#" + formId + " .args .arg-key"));
    WebElement k = keys.getLast();
    k.sendKeys(key);
    k.findElement(By.xpath("following-sibling::input[1]")).sendKeys(value);
  }

  void submit(String formId) {
    click(By.cssSelector("#" + formId + " button[type='submit']"));
  }

  /** Confirms the page's confirmation dialog. */
  void confirm() {
    click(By.cssSelector("dialog.confirm button.danger"));
  }

  /** Waits for the notice at the top of the page that contains {@code text}. */
  void notice(String text) {
    waitText(By.id("notices"), text);
  }

  /** The rows of the table inside {@code container} (a CSS selector), as their text, read at once. */
  @SuppressWarnings("unchecked")
  List<String> rows(String container) {
    return (List<String>) script("return [...document.querySelectorAll(arguments[0] + ' table.list tbody tr')]"
        + ".filter(r => !r.querySelector('td.empty')).map(r => r.innerText)", container);
  }

  void waitRow(String container, String text) {
    until(() -> "a row with '" + text + "' in " + container + ": " + rows(container),
        d -> rows(container).stream().anyMatch(r -> r.contains(text)));
  }

  void waitNoRow(String container, String text) {
    until(() -> "no row with '" + text + "' in " + container + ": " + rows(container),
        d -> rows(container).stream().noneMatch(r -> r.contains(text)));
  }

  /**
   * Clicks the button labelled {@code label} in the row of {@code container} containing
   * {@code text} (found again if the table was redrawn meanwhile).
   */
  void clickInRow(String container, String text, String label) {
    until(() -> "button " + label + " in the row with '" + text + "' in " + container + ": " + rows(container), d -> {
      try {
        for (WebElement row : d.findElements(By.cssSelector(container + " table.list tbody tr"))) {
          if (row.getText().contains(text)) {
            for (WebElement b : row.findElements(By.tagName("button"))) {
              if (b.getText().equals(label)) {
                b.click();
                return true;
              }
            }
          }
        }
        return false;
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
  }

  /** Clicks the sortable column header {@code label} of a listing. */
  void sortBy(String container, String label) {
    click(By.xpath("//*[@id='" + container.substring(1) + "']//th[contains(@class,'sortable')]/a[normalize-space()='" + label + "']"));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Saves what the browser shows as target/ui-screenshots/CLASS-NAME.png. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      Files.write(SHOTS.resolve(prefix + "-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a finished download (Chromium writes .crdownload until it is complete). */
  Path download(String fileName) {
    File f = downloads.resolve(fileName).toFile();
    until(() -> "download " + fileName + " in " + List.of(downloads.toFile().list()),
        d -> f.isFile() && f.length() > 0 && !downloads.resolve(fileName + ".crdownload").toFile().exists());
    return f.toPath();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
      deleteTree(downloads);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
