using Hotline.Testing;

namespace Hotline.FunctionApp.Tests;

/// <summary>A bad setting stops either host at start-up, with a message naming the setting (issue 11).</summary>
[Collection("Azurite")]
public sealed class OptionsValidationTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string> BadSettings => new()
    {
        { "Hotline:Profile", "shanghai" },
        { "Hotline:PublicBaseUri", "12345.example.gov.cn" },
        { "Hotline:TablePrefix", "two-words" },
        { "Hotline:RateLimit:PerMinute", "0" },
        { "Hotline:RateLimit:PerMinute", "many" },
        { "Hotline:RateLimit:PerLinkPerMinute", "-5" },
        { "Hotline:RateLimit:FailedAuthenticationsPerMinute", "0" },
        { "Hotline:ReturnVisits:Share", "1.5" },
    };

    private Dictionary<string, string?> With(string key, string value)
    {
        var settings = FunctionAppServer.Settings(azurite.ConnectionString, "o" + Guid.NewGuid().ToString("N")[..10]);
        settings[key] = value;
        return settings;
    }

    private static string Messages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate) messages.AddRange(aggregate.InnerExceptions.Select(Messages));
        }
        return string.Join(" | ", messages);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_Function_App_naming_the_setting(string key, string value)
    {
        var failure = await Record.ExceptionAsync(async () => await (await FunctionAppServer.StartAsync(With(key, value))).DisposeAsync());
        Assert.NotNull(failure);
        Assert.Contains(key, Messages(failure), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_local_host_naming_the_setting(string key, string value)
    {
        await using var local = new LocalHostApp(With(key, value));
        var failure = Record.Exception(() => local.CreateClient().Dispose());
        Assert.NotNull(failure);
        Assert.Contains(key, Messages(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_settings_when_good_start_both_hosts()
    {
        var settings = With("Hotline:RateLimit:PerMinute", "50");
        settings["Hotline:PublicBaseUri"] = "https://12345.example.gov.cn/";
        await using var functionApp = await FunctionAppServer.StartAsync(settings);
        await using var local = new LocalHostApp(settings);
        using var client = local.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
        using var azure = functionApp.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await azure.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }
}
