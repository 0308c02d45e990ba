namespace Hotline.Dashboard.Tests;

/// <summary>
/// The system Chromium these tests drive (Debian's <c>chromium</c> package, with <c>fonts-noto-cjk</c> for the Chinese
/// text). Playwright is told where it is and never downloads a browser. Outside CI a machine without it skips the
/// browser tests, saying why; in CI (the <c>CI</c> variable set) they run and fail, so a missing browser cannot pass
/// unnoticed. (The same rule as tests/Hotline.Browser.Tests, copied: test projects do not reference each other.)
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static bool Installed => File.Exists(ExecutablePath);

    public static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Why the browser tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => Installed || InCi
        ? null
        : $"Chromium is not installed at {ExecutablePath} (apt-get install -y chromium fonts-noto-cjk); browser tests are skipped outside CI only.";
}

/// <summary>A fact that needs the system Chromium: skipped, with the reason, when <see cref="Chromium.SkipReason"/> says so.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason) Skip = reason;
    }
}
