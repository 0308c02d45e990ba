using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime;
using Hotline.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// The real local host (Program) in the Development environment over the shared Azurite, with its own tables (a
/// fresh prefix), a frozen adjustable clock and effects run before each answer, so tests see their outcome at once.
/// </summary>
public sealed class HotlineApp : WebApplicationFactory<Program>
{
    public const string ChannelKey = "dev-channel-key";
    public const string StaffKey = "dev-staff-key";

    private readonly string _connectionString;
    private readonly string _profile;
    private readonly Dictionary<string, string?> _settings;

    /// <param name="prefix">Another app's <see cref="Prefix"/> makes this one a second instance of the same deployment.</param>
    public HotlineApp(AzuriteFixture azurite, string profile = "fujian", DateTimeOffset? now = null, IDictionary<string, string?>? settings = null, string? prefix = null)
    {
        Prefix = prefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
        _connectionString = azurite.ConnectionString;
        _profile = profile;
        Clock = AdjustableClock.Frozen(now ?? T("2026-03-02 09:00"));
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public AdjustableClock Clock { get; }

    public string Prefix { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("AzureWebJobsStorage", _connectionString);
        builder.UseSetting("Hotline:Profile", _profile);
        builder.UseSetting("Hotline:TablePrefix", Prefix);
        builder.UseSetting("Hotline:PublicBaseUri", "http://localhost/");
        builder.UseSetting("Hotline:Runtime:RunEffectsInline", "true");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Clock);
            services.AddSingleton<TimeProvider>(Clock);
            // Every answer of every API test is checked against the OpenAPI document the host serves.
            services.AddSingleton<IStartupFilter>(new OpenApiContractFilter(ContractAsync));
        });
    }

    private Lazy<Task<OpenApiContract>>? _contract;

    /// <summary>The OpenAPI document this host serves, as the contract checker reads it (fetched once, on first use).</summary>
    public Task<OpenApiContract> ContractAsync() => LazyInitializer.EnsureInitialized(ref _contract, () => new(async () =>
    {
        using var client = Server.CreateClient();
        return OpenApiContract.Parse(await client.GetStringAsync(new Uri(HotlineOpenApi.DocumentPath, UriKind.Relative)));
    })).Value;

    public HttpClient Channel() => WithKey(ChannelKey);

    public HttpClient Staff() => WithKey(StaffKey);

    public HttpClient WithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static DateTimeOffset T(string cst) =>
        DateTimeOffset.ParseExact(cst + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>A valid matter body; tests change what they test.</summary>
    public static Dictionary<string, object?> MatterBody(string channelRef, string type = "help", string category = "neighbourhood-dispute", string urgency = "normal") => new()
    {
        ["channel"] = "phone",
        ["channelRef"] = channelRef,
        ["type"] = type,
        ["urgency"] = urgency,
        ["category"] = category,
        ["title"] = "水压不足",
        ["description"] = "幸福小区三楼以上没有自来水",
        ["location"] = new Dictionary<string, object?> { ["address"] = "东湖区幸福路12号", ["district"] = "donghu", ["lat"] = 30.25, ["lon"] = 120.16 },
        ["citizen"] = new Dictionary<string, object?> { ["name"] = "张三", ["phone"] = "13800001234", ["confidential"] = false },
    };

    public async Task<JsonElement> PostMatterAsync(Dictionary<string, object?> body)
    {
        using var response = await Channel().PostAsJsonAsync("/api/matters", body);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Posts as staff and returns the matter; fails the test with the problem when refused.</summary>
    public async Task<JsonElement> StaffPostAsync(string path, object body)
    {
        using var response = await Staff().PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
