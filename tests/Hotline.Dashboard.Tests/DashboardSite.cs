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

namespace Hotline.Dashboard.Tests;

/// <summary>
/// The real local host (Program) served by Kestrel on a real loopback socket, so a browser can reach it: Development
/// environment, its own tables in the shared Azurite, a frozen adjustable clock (moved through the dev API), effects
/// run before each answer, and the public base address set to the server's own so the links in the SMS outbox open
/// this server. (After tests/Hotline.Browser.Tests' OrganizerSite; test projects do not reference each other.)
/// </summary>
public sealed partial class DashboardSite : WebApplicationFactory<Program>
{
    public const string ChannelKey = "dev-channel-key";
    public const string StaffKey = "dev-staff-key";

    private readonly string _connectionString;
    private readonly int _port;

    public DashboardSite(AzuriteFixture azurite, DateTimeOffset now)
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

    public string Prefix { get; } = "d" + Guid.NewGuid().ToString("N")[..10];

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

    /// <summary>Starts Kestrel (tables, directory and storage are set up by Program before it listens).</summary>
    public DashboardSite Start()
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

    /// <summary>A channel reports a matter of a category whose route is certain, so it is dispatched at intake.</summary>
    public async Task<string> PostMatterAsync(string channelRef, string type, string category, string district, string address, string title, string phone)
    {
        var body = new Dictionary<string, object?>
        {
            ["channel"] = "phone",
            ["channelRef"] = channelRef,
            ["type"] = type,
            ["urgency"] = "normal",
            ["category"] = category,
            ["title"] = title,
            ["description"] = title + "，请尽快处理。",
            ["location"] = new Dictionary<string, object?> { ["address"] = address, ["district"] = district },
            ["citizen"] = new Dictionary<string, object?> { ["name"] = "李四", ["phone"] = phone, ["confidential"] = false },
        };
        using var client = Client(ChannelKey);
        using var response = await client.PostAsJsonAsync("/api/matters", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/matters -> {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The organizer link from the assignment SMS in the dev outbox.</summary>
    public async Task<Uri> LinkFromSmsAsync(string matterId)
    {
        var messages = await SmsAsync(matterId);
        foreach (var message in messages.EnumerateArray())
        {
            var match = LinkPattern().Match(message.GetProperty("text").GetString() ?? "");
            if (match.Success) return new Uri(match.Value);
        }
        Assert.Fail($"No SMS with an organizer link for {matterId}; the outbox holds: {messages}");
        return null!;
    }

    public async Task<JsonElement> SmsAsync(string matterId)
    {
        using var client = Client(StaffKey);
        return JsonDocument.Parse(await client.GetStringAsync($"/api/dev/sms?matterId={Uri.EscapeDataString(matterId)}")).RootElement.Clone();
    }

    /// <summary>Posts to the organizer API through the link's token; fails the test when refused.</summary>
    public async Task OrganizerPostAsync(Uri link, string action, object body)
    {
        var token = link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];
        using var client = Client();
        using var response = await client.PostAsJsonAsync($"/api/o/{token}/{action}", body);
        Assert.True(response.IsSuccessStatusCode, $"/api/o/…/{action} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement> PostAsync(string key, string path, object body, HttpMethod? method = null)
    {
        using var client = Client(key);
        using var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> StaffPostAsync(string path, object body, HttpMethod? method = null) => PostAsync(StaffKey, path, body, method);

    public async Task<JsonElement> StaffGetAsync(string path)
    {
        using var client = Client(StaffKey);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Moves the server's clock; alarms that fell due fire (and their effects run) before the answer.</summary>
    public Task AdvanceAsync(string by) => StaffPostAsync("/api/dev/clock/advance", new { by });

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
