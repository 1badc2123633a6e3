using Microsoft.Playwright;
using Modular.Testing;

namespace Modular.EndToEndTests.Console;

/// <summary>
/// Headless Chromium driven by Playwright: the machine's own Chromium (Debian's <c>chromium</c> package, which
/// scripts/test.sh installs where it can), never a browser Playwright would download. <c>MODULAR_CHROMIUM</c> names
/// another binary. Screenshots go to <c>MODULAR_SCREENSHOTS</c> (scripts/test.sh: the test results folder).
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumVariable = "MODULAR_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("MODULAR_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(ReleaseHost.RepositoryRoot(), "artifacts", "screenshots");

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } named ? named : Candidates.FirstOrDefault(File.Exists) ?? OnPath();
        if (chromium is null || !File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"No Chromium to run the console's browser tests: looked for {ChromiumVariable} ({chromium ?? "unset"}) and {string.Join(", ", Candidates)}. " +
                "Fix: apt-get install chromium (Debian), or set MODULAR_CHROMIUM to a Chromium or Chrome binary.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                // Root in CI has no sandbox; the rest keeps Chromium off a network it cannot reach.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
            return new ConsoleBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    private static string? OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => new[] { "chromium", "chromium-browser", "google-chrome" }.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>A new tab of its own (its own session storage, so signed out) on <paramref name="host"/>, failing the test on any script error.</summary>
    public async Task<IPage> NewPageAsync(Uri host, List<string> scriptErrors)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => scriptErrors.Add(error);
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"ops-{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
