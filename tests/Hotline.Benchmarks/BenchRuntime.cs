using System.Collections.Concurrent;
using System.Text.Json;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Hotline.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hotline.Benchmarks;

/// <summary>
/// One runtime composed as the local host composes it: the default profile, the host's organizer directory and
/// routing table (functions/Hotline.LocalHost/Data), the same registrations, the directory read from storage
/// before the first request. It runs over its own tables in the shared Azurite, with the storage requests counted.
/// </summary>
internal sealed class BenchRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchRuntime(ServiceProvider services, RequestCounter requests, WarningLog warnings, string prefix)
    {
        _services = services;
        Requests = requests;
        Warnings = warnings;
        Prefix = prefix;
    }

    public RequestCounter Requests { get; }

    public WarningLog Warnings { get; }

    public string Prefix { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static string LocalHostRoot => Path.Combine(AzuriteInstance.FindRepositoryRoot().FullName, "functions", "Hotline.LocalHost");

    /// <summary>
    /// The settings the local host reads by default (LocalSettings.Read with its shipped appsettings.json), for
    /// these tables. Read here rather than by referencing the host, so the benchmark builds whenever the runtime does.
    /// </summary>
    public static HotlineSettings HostSettings(string connectionString, string prefix, RuntimeOptions options) =>
        new(StorageAccount.FromConnectionString(connectionString), ProfileCatalog.Get(ProfileCatalog.DefaultProfileId), HostDirectory.Value, options, prefix,
            Routing: HostRouting.Value);

    /// <summary>The organizer directory the local host starts from.</summary>
    public static readonly Lazy<OrganizerDirectory> HostDirectory = new(() =>
        OrganizerDirectory.Parse(File.ReadAllText(Path.Combine(LocalHostRoot, "Data", "organizers.json"))));

    /// <summary>The routing table the local host starts from: certain routes dispatch at intake.</summary>
    public static readonly Lazy<RoutingTable> HostRouting = new(() =>
    {
        var routing = JsonSerializer.Deserialize<RoutingTable>(File.ReadAllText(Path.Combine(LocalHostRoot, "Data", "routing.json")), HotlineJson.Options)
            ?? throw new FormatException("routing.json is empty.");
        routing.Validate(HostDirectory.Value);
        return routing;
    });

    public static async Task<BenchRuntime> StartAsync(string connectionString, string prefix, TimeProvider clock, RuntimeOptions options)
    {
        var requests = new RequestCounter(prefix);
        // The runtime's own SDK clients, with the counting policy in their pipeline: the floor scenario commits through
        // the same TableClient as the store, so the ratio compares like with like.
        var settings = HostSettings(connectionString, prefix, options);
        settings = settings with { Storage = settings.Storage with { ConfigureOptions = requests.AddTo } };
        var warnings = new WarningLog();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        // The host logs at Information; here only warnings and errors are kept, and reported, so that a failing effect
        // or pump poll cannot hide behind good-looking figures.
        services.AddLogging(b => b.ClearProviders().AddProvider(warnings).SetMinimumLevel(LogLevel.Warning));
        services.AddHotlineRuntime(settings);
        services.AddSingleton<RuntimeWorker>();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<HotlineTables>().CreateIfNotExistsAsync();
        await provider.GetRequiredService<DirectoryStore>().RefreshAsync();
        return new BenchRuntime(provider, requests, warnings, prefix);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Keeps warnings and errors logged by the runtime: how many, and the first few.</summary>
internal sealed class WarningLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _first = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyCollection<string> First => _first.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(WarningLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            if (Interlocked.Increment(ref owner._count) <= 5)
            {
                owner._first.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
