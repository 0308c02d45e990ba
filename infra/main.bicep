// The Hotline back end in Azure: Function App (isolated worker, Flex Consumption) with a system-assigned identity,
// Storage (shared keys off: the app uses Entra ID), Azure Communication Services for SMS, Application Insights.
// Deploy with `azd up` (azure.yaml at the repository root) or `az deployment group create -f infra/main.bicep`.

targetScope = 'resourceGroup'

@description('Short name used to derive resource names.')
@maxLength(11)
param name string = 'hotline'

param location string = resourceGroup().location

@description('Regulation profile the deployment runs: fujian, citizen-hotline, weifang or guangzhou.')
@allowed(['fujian', 'citizen-hotline', 'weifang', 'guangzhou'])
param profile string = 'fujian'

@description('Public base address of the app, used in SMS links (e.g. https://12345.example.gov.cn/). Empty: the Function App host name.')
param publicBaseUri string = ''

@description('The SMS sender number (E.164) owned by the Communication Services resource. Empty: SMS stay in the local outbox table.')
param smsFrom string = ''

@description('Entra ID app registration (client ID) for staff sign-in with app roles dispatcher, reviewer, supervisor. Empty: staff use keys only.')
param staffClientId string = ''

@description('Channel systems\' keys as SHA-256 hashes (64 hex digits) by channel name (letters, digits, underscores), e.g. {"call_centre": "<hash>"}; each system sends its key itself as x-functions-key, and the handlers check it.')
@secure()
param channelKeyHashes object = {}

@description('Staff members\' keys as SHA-256 hashes by name, as channelKeyHashes; a staff key carries every staff role (operators). Staff sign in with Entra ID otherwise.')
@secure()
param staffKeyHashes object = {}

@description('Resource id of the action group that alerts notify (e-mail, SMS, webhook of the operations team). Empty: alerts fire in the portal only.')
param actionGroupId string = ''

var suffix = uniqueString(resourceGroup().id, name)
var storageName = toLower('${name}${suffix}')
var appName = '${name}-${suffix}'
var deploymentContainer = 'deployments'
var baseUri = empty(publicBaseUri) ? 'https://${appName}.azurewebsites.net/' : publicBaseUri

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Organizers' browsers upload evidence straight to storage through one-blob SAS links.
    cors: {
      corsRules: [
        {
          allowedOrigins: [ take(baseUri, length(baseUri) - 1) ]
          allowedMethods: [ 'PUT', 'GET', 'HEAD', 'OPTIONS' ]
          allowedHeaders: [ 'content-type', 'x-ms-blob-type', 'x-ms-version', 'x-ms-date', 'x-ms-client-request-id' ]
          exposedHeaders: [ 'etag', 'x-ms-request-id' ]
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id, DisableLocalAuth: true }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: '${name}-acs-${suffix}'
  location: 'global'
  properties: { dataLocation: 'Asia Pacific' }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat([
        // Identity-based storage: the account has shared keys off.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'HotlineTaskHub', value: 'hotline' }
        { name: 'Hotline__Profile', value: profile }
        { name: 'Hotline__PublicBaseUri', value: baseUri }
        { name: 'Hotline__Sms__From', value: smsFrom }
        { name: 'Hotline__Sms__AcsEndpoint', value: 'https://${communication.properties.hostName}/' }
      ],
      // The keys the handlers check (Hotline:Keys): the one HTTP function is anonymous at the platform level.
      map(items(channelKeyHashes), key => { name: 'Hotline__Keys__Channels__${key.key}', value: key.value }),
      map(items(staffKeyHashes), key => { name: 'Hotline__Keys__Staff__${key.key}', value: key.value }))
    }
  }
}

// Data-plane roles for the app's identity: Durable Functions uses blobs, queues and tables of the same account;
// the app's own tables and evidence blobs (with user-delegation SAS) live there too.
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, app.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource insightsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, app.id, 'metrics-publisher')
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource smsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, app.id, 'contributor')
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c') // Contributor (ACS has no narrower SMS role)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

module staffSignIn 'auth.bicep' = if (!empty(staffClientId)) { name: 'staff-sign-in', params: { appName: app.name, clientId: staffClientId } }

// ---- What cloud ops watch: alert rules on the app's telemetry and a workbook. ----
// The app exports the `Hotline` meter (OpenTelemetry) to Application Insights: customMetrics named hotline.*.
// Each query returns rows only while its condition holds; a rule fires when it returns any.

var alertActions = empty(actionGroupId) ? [] : [ actionGroupId ]

var alerts = [
  {
    name: 'poison-list'
    severity: 1
    description: 'The poison list is not empty: effects (SMS, alarms, index updates) failed every retry and wait for an operator: GET /api/effects/poison.'
    query: 'customMetrics | where name in ("hotline.effects.poison_list", "hotline.effects.poisoned") | summarize waiting = maxif(value, name == "hotline.effects.poison_list"), poisoned = sumif(valueSum, name == "hotline.effects.poisoned") | where waiting > 0 or poisoned > 0'
  }
  {
    name: 'failure-rate'
    severity: 2
    description: 'More than 5% of HTTP requests failed (5xx) in the last 15 minutes.'
    query: 'requests | where name !in ("MatterOrchestration", "NextAlarm", "FireAlarm", "EffectSweep", "DirectoryRefresh") | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 20 and 100.0 * failed / total > 5'
  }
  {
    name: 'calendar-year-missing'
    severity: 2
    description: 'A year within reach of deadlines has no statutory holiday data: deadlines there are computed as ordinary weeks. Staff install it with PUT /api/calendars/{year} (text/csv); no redeploy.'
    query: 'customMetrics | where name == "hotline.calendar.missing_years" | summarize years = max(value) | where years > 0'
  }
  {
    name: 'orchestration-failures'
    severity: 1
    description: 'A matter orchestration or one of its activities failed after its retries: that matter\'s deadlines wait for its next change.'
    query: 'requests | where name in ("MatterOrchestration", "NextAlarm", "FireAlarm") and success == false'
  }
  {
    name: 'sms-failures'
    severity: 2
    description: 'SMS sends failed (each is retried; the last failure goes to the poison list).'
    query: 'customMetrics | where name == "hotline.sms.failed" and valueSum > 0'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for alert in alerts: {
  name: '${name}-${alert.name}-${suffix}'
  location: location
  properties: {
    displayName: 'Hotline: ${alert.name}'
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [ insights.id ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: alertActions }
    autoMitigate: true
  }
}]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, name, 'hotline-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Hotline 12345'
    category: 'workbook'
    sourceId: insights.id
    serializedData: string(loadJsonContent('workbook.json'))
  }
}

output functionAppName string = app.name
output publicBaseUri string = baseUri
output storageAccountName string = storage.name
