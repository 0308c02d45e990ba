using Azure.Core;
using Azure.Core.Pipeline;
using Hotline.Storage.Pipeline;

namespace Hotline.Storage.Tests;

/// <summary>String-to-sign and signature checks against the examples in "Authorize with Shared Key".</summary>
public sealed class SharedKeyTests
{
    private static readonly HttpPipeline Pipeline = HttpPipelineBuilder.Build(new StorageClientOptions());

    private static Request NewRequest(RequestMethod method, string uri, params (string Name, string Value)[] headers)
    {
        var request = Pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(uri));
        foreach (var (name, value) in headers)
        {
            request.Headers.SetValue(name, value);
        }
        return request;
    }

    [Fact]
    public void Get_container_metadata_reproduces_the_documented_string_to_sign_and_signature()
    {
        using var request = NewRequest(RequestMethod.Get, "https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20",
            ("x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"), ("x-ms-version", "2015-02-21"));

        var stringToSign = SharedKeyPolicy.BlobQueueStringToSign(request, "myaccount");

        // Verbatim from the documentation's Get Container Metadata example.
        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20",
            stringToSign);
        // HMAC-SHA256 under the emulator's key, computed independently with openssl and Python.
        Assert.Equal("1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=", new StorageSharedKey("myaccount", StorageConnection.DevelopmentAccountKey).Sign(stringToSign));
    }

    [Fact]
    public void Repeated_query_parameters_are_sorted_and_joined_as_documented()
    {
        using var request = NewRequest(RequestMethod.Get,
            "http://myaccount.blob.core.windows.net/container?restype=container&comp=list&include=snapshots&include=metadata&include=uncommittedblobs");

        var stringToSign = SharedKeyPolicy.BlobQueueStringToSign(request, "myaccount");

        Assert.EndsWith("\n/myaccount/container\ncomp:list\ninclude:metadata,snapshots,uncommittedblobs\nrestype:container", stringToSign, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_headers_length_and_x_ms_headers_take_their_slots()
    {
        using var request = NewRequest(RequestMethod.Put, "http://127.0.0.1:10000/devstoreaccount1/evidence/a%20b.jpg?timeout=30",
            ("x-ms-version", "2025-05-05"), ("X-MS-Date", "Sat, 01 Mar 2025 00:00:00 GMT"), ("x-ms-blob-type", "BlockBlob"),
            ("If-None-Match", "*"), ("Content-Type", "image/jpeg"));
        request.Content = RequestContent.Create(new byte[] { 1, 2, 3 });

        var stringToSign = SharedKeyPolicy.BlobQueueStringToSign(request, "devstoreaccount1");

        Assert.Equal(
            "PUT\n\n\n3\n\nimage/jpeg\n\n\n\n*\n\n\n" +
            "x-ms-blob-type:BlockBlob\nx-ms-date:Sat, 01 Mar 2025 00:00:00 GMT\nx-ms-version:2025-05-05\n" +
            // Path-style: the account appears again as the first path segment, encoded as sent.
            "/devstoreaccount1/devstoreaccount1/evidence/a%20b.jpg\ntimeout:30",
            stringToSign);
    }

    [Fact]
    public void Zero_content_length_signs_as_empty()
    {
        using var request = NewRequest(RequestMethod.Put, "https://a.blob.core.windows.net/c?restype=container", ("x-ms-date", "d"));
        request.Content = RequestContent.Create(Array.Empty<byte>());

        Assert.StartsWith("PUT\n\n\n\n", SharedKeyPolicy.BlobQueueStringToSign(request, "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_string_to_sign_has_verb_md5_type_date_and_resource_with_only_comp()
    {
        using var insert = NewRequest(RequestMethod.Post, "https://myaccount.table.core.windows.net/mytable",
            ("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"), ("Content-Type", "application/json"));
        using var query = NewRequest(RequestMethod.Get, "http://127.0.0.1:10002/devstoreaccount1/mytable()?$filter=PartitionKey%20eq%20'a'&$top=5",
            ("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"));
        using var acl = NewRequest(RequestMethod.Get, "https://myaccount.table.core.windows.net/mytable?comp=acl&timeout=9",
            ("x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"));

        Assert.Equal("POST\n\napplication/json\nSun, 11 Oct 2009 21:49:13 GMT\n/myaccount/mytable", SharedKeyPolicy.TableStringToSign(insert, "myaccount"));
        Assert.Equal("GET\n\n\nSun, 11 Oct 2009 21:49:13 GMT\n/devstoreaccount1/devstoreaccount1/mytable()", SharedKeyPolicy.TableStringToSign(query, "devstoreaccount1"));
        Assert.Equal("GET\n\n\nSun, 11 Oct 2009 21:49:13 GMT\n/myaccount/mytable?comp=acl", SharedKeyPolicy.TableStringToSign(acl, "myaccount"));
    }

    [Fact]
    public void Policy_sets_the_authorization_header_from_the_string_to_sign()
    {
        var key = new StorageSharedKey("myaccount", StorageConnection.DevelopmentAccountKey);
        using var message = Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri("https://myaccount.queue.core.windows.net/alarms/messages?numofmessages=1"));
        new StorageHeadersPolicy().OnSendingRequest(message);
        new SharedKeyPolicy(key, StorageService.Queue).OnSendingRequest(message);

        Assert.True(message.Request.Headers.TryGetValue("Authorization", out var authorization));
        Assert.Equal("SharedKey myaccount:" + key.Sign(SharedKeyPolicy.BlobQueueStringToSign(message.Request, "myaccount")), authorization);
        Assert.True(message.Request.Headers.TryGetValue("x-ms-version", out var version));
        Assert.Equal(StorageClientOptions.ServiceVersion, version);
        Assert.True(message.Request.Headers.TryGetValue("x-ms-date", out var date));
        Assert.InRange(DateTimeOffset.Parse(date!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Invalid_key_is_reported_without_echoing_it()
    {
        var e = Assert.Throws<FormatException>(() => new StorageSharedKey("a", "not-base64-secret!"));

        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }
}
