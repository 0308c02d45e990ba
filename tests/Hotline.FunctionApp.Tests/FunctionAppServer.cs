using System.Collections.Concurrent;
using Hotline.Api;
using Hotline.Runtime.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// The Function App as the platform composes it (<see cref="FunctionAppHost.CreateBuilder"/>, not started: there is no
/// Functions host to connect to), its one HTTP function called the way the worker's ASP.NET Core integration calls it,
/// and a real Durable engine in process for its <c>[DurableClient]</c> binding.
/// </summary>
/// <remarks>
/// The worker's integration routes each request to the catch-all function first; the test server below does what it
/// leaves behind (the function's endpoint and <c>path</c> route value, the invocation's service scope) and then calls
/// <see cref="HttpEntry.Run"/>, so the entry must forget that match for the hotline's routing to see the request.
/// </remarks>
internal sealed class FunctionAppServer : IAsyncDisposable
{
    public const string ChannelKey = "dev-channel-key";
    public const string StaffKey = "dev-staff-key";
    private const string RequestIdHeader = "x-test-request";

    private readonly IHost _functionApp;
    private readonly WebApplication _worker;
    private readonly DurableTaskTestHost _durable;
    private readonly ConcurrentDictionary<string, Endpoint?> _matched = new();

    private FunctionAppServer(IHost functionApp, WebApplication worker, DurableTaskTestHost durable)
    {
        _functionApp = functionApp;
        _worker = worker;
        _durable = durable;
    }

    public IServiceProvider Services => _functionApp.Services;

    public Microsoft.DurableTask.Client.DurableTaskClient Durable => _durable.Client;

    /// <summary>Settings as app settings in Azure; each host gets its own tables.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string prefix) => new()
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["Hotline:Profile"] = "fujian",
        ["Hotline:TablePrefix"] = prefix,
        ["Hotline:PublicBaseUri"] = "http://localhost/",
        ["Hotline:Keys:Channels:dev-channel"] = Hotline.Api.Security.ApiKeys.Hash(ChannelKey),
        ["Hotline:Keys:Staff:dev-staff"] = Hotline.Api.Security.ApiKeys.Hash(StaffKey),
    };

    /// <param name="configure">What a test adds to the composed services (an in-memory exporter).</param>
    public static async Task<FunctionAppServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var composed = FunctionAppHost.CreateBuilder([.. settings.Select(s => $"--{s.Key}={s.Value}")]);
        configure?.Invoke(composed.Services);
        var functionApp = composed.Build();
        // What StartupWork does when the worker starts.
        await HotlineStartup.PrepareAsync(functionApp.Services, [], CancellationToken.None);

        var activities = functionApp.Services.GetRequiredService<MatterOrchestrationActivities>();
        var accessor = functionApp.Services.GetRequiredService<DurableClientAccessor>();
        DurableTaskTestHost? durable = null;
        durable = await DurableTaskTestHost.StartAsync(tasks => DurableHarness.Register(tasks, activities, accessor, () => durable!.Client));

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var worker = builder.Build();
        var server = new FunctionAppServer(functionApp, worker, durable);
        worker.Run(server.InvokeAsync);
        await worker.StartAsync();
        return server;
    }

    private async Task InvokeAsync(HttpContext http)
    {
        await using var scope = _functionApp.Services.CreateAsyncScope();
        http.RequestServices = scope.ServiceProvider;
        // What the worker's routing leaves: the catch-all function's endpoint and its route value.
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, HttpEntry.Name));
        http.Request.RouteValues["path"] = http.Request.Path.Value?.TrimStart('/');
        var entry = ActivatorUtilities.CreateInstance<HttpEntry>(scope.ServiceProvider);
        await entry.Run(http.Request, _durable.Client);
        if (http.Request.Headers.TryGetValue(RequestIdHeader, out var id)) _matched[id.ToString()] = http.GetEndpoint();
    }

    /// <summary>A client of the Function App; each request is tagged so <see cref="MatchedEndpoint"/> can tell where it went.</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = _worker.GetTestClient();
        if (key is not null) client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }

    public static void Tag(HttpRequestMessage request, string id) => request.Headers.Add(RequestIdHeader, id);

    /// <summary>The hotline endpoint the entry's routing chose for the tagged request (null: none).</summary>
    public Endpoint? MatchedEndpoint(string id) => _matched.GetValueOrDefault(id);

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _durable.DisposeAsync();
        _functionApp.Dispose();
    }
}

/// <summary>The local host (its Program) over the same Azurite with its own tables, in production mode unless told.</summary>
internal sealed class LocalHostApp(IDictionary<string, string?> settings, string environment = "Production", Action<IServiceCollection>? configure = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (configure is not null) builder.ConfigureTestServices(configure);
    }
}

/// <summary>The endpoints <see cref="HotlineRoutes.MapHotline"/> declares, collected without a host.</summary>
internal sealed class DeclaredRoutes(IServiceProvider services) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider => services;

    public ICollection<EndpointDataSource> DataSources { get; } = [];

    public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);

    public static IReadOnlyList<RouteEndpoint> Of(IServiceProvider services)
    {
        var routes = new DeclaredRoutes(services);
        routes.MapHotline();
        return [.. routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
    }
}
