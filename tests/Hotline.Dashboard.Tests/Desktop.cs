using Microsoft.Playwright;

namespace Hotline.Dashboard.Tests;

/// <summary>
/// A desktop headless Chromium (1440×900, zh-CN) with a fresh profile folder, the way a supervisor opens the
/// dashboard. Its time zone is UTC on purpose: the page must show China Standard Time whatever the machine's zone.
/// Collects uncaught page errors and console errors so tests can assert the script never threw.
/// </summary>
public sealed class Desktop : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Desktop(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        page.PageError += (_, error) => { lock (PageErrors) PageErrors.Add(error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (PageErrors) PageErrors.Add(message.Text);
            }
        };
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/", StringComparison.Ordinal)) lock (ApiRequests) ApiRequests.Add(request.Url);
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions and console errors (CSP violations included) seen so far.</summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>Every /api/ address the page asked for, in order.</summary>
    public List<string> ApiRequests { get; } = [];

    public static async Task<Desktop> StartAsync(string timezone = "UTC")
    {
        if (!Chromium.Installed)
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {Chromium.ExecutablePath}: the browser tests need Debian's chromium and fonts-noto-cjk packages.");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Headless = true,
                Args = Chromium.Args,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
                DeviceScaleFactor = 1,
                Locale = "zh-CN",
                TimezoneId = timezone,
                AcceptDownloads = true,
            });
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            return new Desktop(playwright, browser, context, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A full-page PNG in the test output folder (screenshots/), returning its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var path = Path.Combine(folder.FullName, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>A PNG of one element (a section, a chart), full size, in the same folder.</summary>
    public static async Task<string> ScreenshotAsync(ILocator element, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var path = Path.Combine(folder.FullName, name + ".png");
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync();
            await _browser.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
