using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hotline.Runtime;
using Hotline.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Browser.Tests;

[CollectionDefinition("Browser")]
public sealed class BrowserGroup : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// The real local host (Program) served by Kestrel on a real loopback socket, so a browser can reach it: Development
/// environment, its own tables in the shared Azurite, a frozen adjustable clock, effects run before each answer, and
/// the public base address set to the server's own, so the links in the SMS outbox open this server (and storage
/// allows this origin to upload evidence).
/// </summary>
public sealed partial class OrganizerSite : WebApplicationFactory<Program>
{
    public const string ChannelKey = "dev-channel-key";
    public const string StaffKey = "dev-staff-key";

    private readonly string _connectionString;
    private readonly int _port;

    public OrganizerSite(AzuriteFixture azurite, DateTimeOffset now)
    {
        _connectionString = azurite.ConnectionString;
        _port = FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{_port}/");
        Clock = AdjustableClock.Frozen(now);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
    }

    /// <summary>http://127.0.0.1:{port}/ — what the browser opens and what SMS links start with.</summary>
    public Uri BaseAddress { get; }

    public AdjustableClock Clock { get; }

    public string Prefix { get; } = "b" + Guid.NewGuid().ToString("N")[..10];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("urls", BaseAddress.GetLeftPart(UriPartial.Authority));
        builder.UseSetting("AzureWebJobsStorage", _connectionString);
        builder.UseSetting("Hotline:Profile", "fujian");
        builder.UseSetting("Hotline:TablePrefix", Prefix);
        builder.UseSetting("Hotline:PublicBaseUri", BaseAddress.ToString());
        builder.UseSetting("Hotline:Runtime:RunEffectsInline", "true");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Clock);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>Starts Kestrel (tables, directory and storage CORS are set up by Program before it listens).</summary>
    public OrganizerSite Start()
    {
        StartServer();
        return this;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    public static DateTimeOffset T(string cst) =>
        DateTimeOffset.ParseExact(cst + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>A channel reports a matter; "water-pressure" is routed with certainty to lanhai-water and dispatched at intake.</summary>
    public async Task<string> PostMatterAsync(string channelRef, bool confidential = false, string category = "water-pressure")
    {
        var body = new Dictionary<string, object?>
        {
            ["channel"] = "phone",
            ["channelRef"] = channelRef,
            ["type"] = "help",
            ["urgency"] = "normal",
            ["category"] = category,
            ["title"] = "幸福小区水压不足",
            ["description"] = "幸福小区 3 号楼三楼以上白天几乎没有自来水，已持续一周，老人做饭洗漱困难。",
            ["location"] = new Dictionary<string, object?> { ["address"] = "东湖区幸福路12号幸福小区3号楼", ["district"] = "donghu", ["lat"] = 30.25, ["lon"] = 120.16 },
            ["citizen"] = new Dictionary<string, object?> { ["name"] = "张三", ["phone"] = "13800001234", ["confidential"] = confidential },
        };
        using var client = Client(ChannelKey);
        using var response = await client.PostAsJsonAsync("/api/matters", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/matters -> {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The organizer link from the assignment SMS in the dev outbox (of one notice kind, when given: a co-organizer's is its own).</summary>
    public async Task<Uri> LinkFromSmsAsync(string matterId, string? noticeKind = null)
    {
        using var client = Client(StaffKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string seen = "";
        while (true)
        {
            seen = await client.GetStringAsync($"/api/dev/sms?matterId={Uri.EscapeDataString(matterId)}");
            using var json = JsonDocument.Parse(seen);
            foreach (var message in json.RootElement.EnumerateArray())
            {
                if (noticeKind is not null && message.GetProperty("noticeKind").GetString() != noticeKind) continue;
                var match = LinkPattern().Match(message.GetProperty("text").GetString() ?? "");
                if (match.Success) return new Uri(match.Value);
            }
            Assert.True(DateTime.UtcNow < deadline, $"No SMS with an organizer link for {matterId}; the outbox holds: {seen}");
            await Task.Delay(250);
        }
    }

    public static string TokenOf(Uri link) => link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];

    /// <summary>What the organizer API says now (as the page would load it).</summary>
    public async Task<JsonElement> OrganizerViewAsync(Uri link)
    {
        using var client = Client();
        return await client.GetFromJsonAsync<JsonElement>($"/api/o/{TokenOf(link)}");
    }

    /// <summary>Posts to the organizer API directly and returns the status and the body (a view or a problem).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> OrganizerPostAsync(Uri link, string action, object body)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync($"/api/o/{TokenOf(link)}/{action}", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<JsonElement> StaffPostAsync(string path, object body)
    {
        using var client = Client(StaffKey);
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> StaffGetAsync(string path)
    {
        using var client = Client(StaffKey);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"https?://[^\s，。]+/o/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
