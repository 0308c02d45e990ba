using Microsoft.Playwright;

namespace Hotline.Browser.Tests;

/// <summary>
/// A phone-sized headless Chromium (390×844 CSS pixels at 3×, touch, zh-CN) with a fresh profile folder, the way an
/// organizer opens the SMS link. Collects uncaught page errors so tests can assert the script never threw.
/// </summary>
public sealed class Phone : IAsyncDisposable
{
    private const string AndroidChrome =
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly DirectoryInfo _profile;

    private Phone(IPlaywright playwright, IBrowserContext context, DirectoryInfo profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
        page.PageError += (_, error) => { lock (PageErrors) PageErrors.Add(error); };
        page.Console += (_, message) =>
        {
            // Failed loads (the 404 of an invalid link, refusals) are expected; anything else the console calls an error is not.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (PageErrors) PageErrors.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions and console errors (CSP violations included) seen so far.</summary>
    public List<string> PageErrors { get; } = [];

    public static async Task<Phone> StartAsync(string timezone = "Asia/Shanghai")
    {
        if (!Chromium.Installed)
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {Chromium.ExecutablePath}: the browser tests need Debian's chromium and fonts-noto-cjk packages (scripts/ensure-tools).");
        }
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("hotline-chromium-");
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Headless = true,
                Args = Chromium.Args,
                ViewportSize = new ViewportSize { Width = 390, Height = 844 },
                DeviceScaleFactor = 3,
                IsMobile = true,
                HasTouch = true,
                Locale = "zh-CN",
                TimezoneId = timezone,
                UserAgent = AndroidChrome,
            });
            context.SetDefaultTimeout(20_000);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new Phone(playwright, context, profile, page);
        }
        catch
        {
            playwright.Dispose();
            TryDelete(profile);
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
            TryDelete(_profile);
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp profile left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
