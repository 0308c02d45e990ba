using System.Globalization;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Runtime.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteGroup : ICollectionFixture<Hotline.Testing.AzuriteFixture>;

/// <summary>
/// One runtime (one "host") over a set of tables in the shared Azurite. Two harnesses with the same prefix are two
/// hosts on one storage account. The clock is adjustable; effects run inline unless a test says otherwise.
/// </summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    public static readonly OrganizerDirectory Directory = new([
        new OrganizerUnit("water", new Text("水务局", "Water Bureau"), new Contact("王办", "13900000001"), new Contact("李局", "13900000002"), ["east"], ["water-pressure"]),
        new OrganizerUnit("housing", new Text("住建局", "Housing Bureau"), new Contact("赵办", "13900000003"), new Contact("钱局", "13900000004"), ["east"], ["housing"]),
    ]);

    private readonly ServiceProvider _services;

    /// <param name="storage">Adds to the storage clients' options (a test's request-counting policy).</param>
    public RuntimeHarness(string connectionString, string prefix, AdjustableClock clock, RuntimeOptions? options = null, OrganizerDirectory? directory = null,
        Action<Azure.Core.ClientOptions>? storage = null)
    {
        Prefix = prefix;
        Clock = clock;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddHotlineRuntime(new HotlineSettings(
            StorageAccount.FromConnectionString(connectionString) with { ConfigureOptions = storage },
            ProfileCatalog.Get("fujian"),
            directory ?? Directory,
            options ?? new RuntimeOptions { RunEffectsInline = true, SweepDelay = TimeSpan.FromSeconds(30), EffectRetryBase = TimeSpan.FromSeconds(1) },
            prefix));
        _services = services.BuildServiceProvider();
    }

    public string Prefix { get; }
    public AdjustableClock Clock { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<RuntimeHarness> StartAsync(string connectionString, RuntimeOptions? options = null, OrganizerDirectory? directory = null, DateTimeOffset? now = null,
        Action<Azure.Core.ClientOptions>? storage = null)
    {
        var clock = AdjustableClock.Frozen(now ?? T("2026-03-02 09:00"));
        var harness = new RuntimeHarness(connectionString, "t" + Guid.NewGuid().ToString("N")[..10], clock, options, directory, storage);
        await harness.Get<HotlineTables>().CreateIfNotExistsAsync();
        return harness;
    }

    /// <summary>A second host on the same tables and clock.</summary>
    public RuntimeHarness Twin(string connectionString, RuntimeOptions? options = null) => new(connectionString, Prefix, Clock, options);

    public static DateTimeOffset T(string cst) =>
        DateTimeOffset.ParseExact(cst + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    public static Intake IntakeOf(string channelRef, MatterType type = MatterType.Help, string? description = null) =>
        new(Channel.Phone, channelRef, type, Urgency.Normal, "water-pressure", "水压不足", description ?? "三楼以上没有自来水",
            new Location("幸福路12号", "east", 36.7, 119.1), new Citizen("张三", "13800000000", false), T("2026-03-02 09:00"));

    public static readonly Actor CallCentre = Actor.ChannelSystem("call-centre");
    public static readonly Actor Dispatcher = Actor.Staff("dispatcher-1");

    public async Task<string> SubmitAsync(string channelRef, MatterType type = MatterType.Help)
    {
        var outcome = await Get<IntakeService>().SubmitAsync(CallCentre, IntakeOf(channelRef, type));
        Assert.True(outcome.Outcome.Accepted, outcome.Outcome.Refusal?.ToString());
        return outcome.Outcome.State!.Id;
    }

    public async Task<CommandOutcome> DoAsync(string matterId, MatterCommand command)
    {
        var outcome = await Get<MatterService>().ExecuteAsync(matterId, command);
        Assert.True(outcome.Accepted, $"{command.GetType().Name}: {outcome.Refusal}");
        return outcome;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
