export type paths = {
    "/api/v2/customer/{customerGuid}/action/ovocimport": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a customer from OVOC
         * @description Links an existing Live Platform customer to its customer in the Live Platform Operation Center
         *     (OVOC) and queues a task that does the import. The answer is the task id as a **bare JSON
         *     string** (`"tsk_185510"`), not an object (or, as `text/plain`, the id unquoted). Poll Get Task
         *     until the status is terminal; it goes from `InProgress` to `CompletedSuccess` (or
         *     `CompletedFailed`) within a few minutes.
         */
        post: operations["importCustomerFromOvoc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an Essentials customer
         * @description Creates a customer with a single site location and the Hosted Essentials license, and deploys
         *     it on the SBC synchronously: the answer is the created customer. A short name that breaks
         *     the rules gets `400`; one already used for the same Microsoft tenant gets `409`.
         *
         *     Extra string fields are customer variables (`[CustomerVariableName]: value`) defined in the
         *     Live Platform database.
         */
        post: operations["createEssentialsCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ovoc/v1/topology/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Verify an OVOC customer's details
         * @description Reads one customer of the Live Platform Operation Center by its OVOC id. The vendor uses
         *     `PUT` for this read: it sends no body and changes nothing, so it is safe to retry.
         */
        put: operations["verifyLcCustomer"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v3/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a customer from a lead with an IP Group
         * @description Converts the Operator Connect lead of a Microsoft tenant into a customer: creates an IP Group
         *     and Proxy Set on the Online PSTN gateway and links the Live Platform database to the SBC through
         *     that IP Group. The answer is `{taskId: "wst_..."}` (a sibling vendor page shows
         *     `{jobId: "wst_..."}`); poll Get Task. The task ends:
         *
         *     - `CompletedSuccess` with details `["Converted"]` and `outputData.umpCustomerGuid`;
         *     - `CompletedFailed` with `["Failed"]` and one Error message per broken name rule;
         *     - `CompletedFailed` with `["ValidationFailed"]` when the tenant has no active lead;
         *     - `CompletedSuccess` with `["CustomerAlreadyConverted"]` and a Warning when the lead was
         *       converted before (nothing is created).
         *
         *     The names are checked by the task, not the request: a 16-character short name is accepted
         *     with `200` and fails in the task.
         */
        post: operations["createCustomerFromLead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/task/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a task's status
         * @description Returns the state of a task that another operation queued. Poll it until `status` is
         *     `CompletedSuccess` or `CompletedFailed`; a terminal task never changes again. Back off between
         *     polls and honour `Retry-After` on `429`.
         */
        get: operations["getTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /**
         * CustomerType
         * @description How OVOC links the customer: `TENANT_TYPE` by the customer's Microsoft tenant id,
         *     `IPGROUP_TYPE` by an IP Group named after the short name, `TENANT_TYPE_GW` by tenant id on a
         *     gateway.
         * @enum {string}
         */
        CustomerType: "TENANT_TYPE" | "IPGROUP_TYPE" | "TENANT_TYPE_GW";
        /**
         * CustomerSource
         * @description `LTC`: Live Platform (Live Teams Connect). `OC`: Operator Connect.
         * @enum {string}
         */
        CustomerSource: "LTC" | "OC";
        /**
         * TenantId
         * Format: uuid
         * @description A Microsoft Entra (Azure AD) tenant id.
         * @example f79a7f93-5ef7-47d2-92c8-e4570503cec3
         */
        TenantId: string;
        /**
         * ImportCustomerRequest
         * @description Closed (`additionalProperties: false`): the page lists every field, and a misspelt field would
         *     otherwise be dropped without a word. Our decision: ASP.NET ignores unknown members by default,
         *     so a server that accepts one is reported by the checker as a lenient warning, not a failure.
         */
        ImportCustomerRequest: {
            customerType: components["schemas"]["CustomerType"];
            customerSource?: components["schemas"]["CustomerSource"];
            customerMsTenantId?: components["schemas"]["TenantId"];
            /**
             * @description The customer's OVOC id, as a string. Not retrievable with the REST API; read it in the OVOC
             *     web interface.
             * @example 1317092
             */
            lcCustomerId?: string;
            /** @default false */
            allowSbcIdUpdateForOvoc?: boolean;
        };
        /**
         * TaskId
         * @description The id of a queued task: a prefix that names the workflow, an underscore, and a number or uuid
         *     (`tsk_185510` from import, `wst_<uuid>` from create-from-lead, `wup_<uuid>` from the number
         *     workflows). The vendor's Get Task page types it `string($uuid)`, but no id it shows is a uuid.
         * @example tsk_185510
         * @example wst_1a93b0c9-5ab0-4d3f-af25-c0f18ad0aa2e
         */
        TaskId: string;
        /**
         * ProblemDetails
         * @description An RFC 9457 problem, as ASP.NET writes it, with the vendor's extensions. Open: servers may add
         *     members.
         */
        ProblemDetails: {
            /** @description A URI reference that names the problem type. */
            type?: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            /** @description Quote it when you contact AudioCodes support. */
            traceId?: string;
            errorCode?: string | number;
            errorTicket?: string;
        };
        /**
         * ValidationProblemDetails
         * @description A problem with the fields that failed validation (ASP.NET's `errors` map).
         */
        ValidationProblemDetails: components["schemas"]["ProblemDetails"] & {
            /** @description Field name (or JSON path) to its messages. */
            errors: {
                [key: string]: string[];
            };
        };
        /**
         * ShortName
         * @description Short customer name. The server rejects a request that breaks these rules with `400`:
         *     3-15 characters; none of `\ / : * ? " < > |`; no dot and no blank. It must also be unique per
         *     Microsoft tenant (`409` otherwise).
         * @example BradSB1E1
         */
        ShortName: string;
        /**
         * SiteLocation
         * @description The SBC configuration of the customer's single site. The page calls it a "list array"; its
         *     example sends one object. Closed: these are the only three fields (our decision; ASP.NET
         *     ignores unknown members, so the checker only warns when a server accepts one).
         */
        SiteLocation: {
            /**
             * Format: int64
             * @description Id of a known SBC (the OVOC device id when Live Platform is an OVOC tenant).
             */
            sbcId: number;
            /**
             * Format: int64
             * @description Id of the SBC onboarding script template.
             */
            sbcOnboardingScript: number;
            /**
             * Format: int64
             * @description Id of the SBC cleanup script template.
             */
            sbcCleanupScript: number;
        };
        /**
         * CustomVariableParameters
         * @description Customer variables for the SBC scripts, keyed `CustomVar.Variable<N>`.
         * @example {
         *       "CustomVar.Variable1": "SIPTrunk"
         *     }
         */
        CustomVariableParameters: {
            [key: string]: string;
        };
        /**
         * CreateEssentialsCustomerRequest
         * @description Open to extra string fields: the vendor lets a request carry `[CustomerVariableName]: value`
         *     pairs (an SBC, region, carrier or CAC profile name) for variables defined in the Live Platform
         *     database. Any extra field must therefore be a string. (`unevaluatedProperties` rather than
         *     `additionalProperties`, because openapi-typescript would otherwise intersect the whole type with
         *     a string index signature that no body with `siteLocation` can satisfy; TypeScript callers spread
         *     a `Record<string, string>` of variables into the body.)
         */
        CreateEssentialsCustomerRequest: {
            shortName: components["schemas"]["ShortName"];
            /** @description The customer's full name (optional, at most 200 characters). */
            fullName?: string;
            siteLocation: components["schemas"]["SiteLocation"];
            /**
             * @description `IPGROUP_TYPE`: an IP Group named after the short name links the customer to OVOC (Direct
             *     Routing with SIP registration). `TENANT_TYPE`: the Microsoft tenant id links it.
             * @enum {string}
             */
            ovocCustomerType: "IPGROUP_TYPE" | "TENANT_TYPE";
            /** @description The channel id of the tenant, if any. */
            channelId?: string;
            msTenantId?: components["schemas"]["TenantId"];
            /** @description The customer's OVOC id, to link an existing OVOC customer. */
            lcCustomerId?: string;
            scriptParameters?: components["schemas"]["CustomVariableParameters"];
        };
        /**
         * EssentialsCustomer
         * @description The created customer. Open to new fields; every field of the vendor's example is required.
         *     The table calls the id `customerGuid` and types `siteLocationIds` as an integer; the example
         *     sends `id` and an array of uuid strings.
         */
        EssentialsCustomer: {
            /**
             * Format: uuid
             * @description The customer's guid; use it as `customerGuid` in Import Customer.
             */
            id: string;
            /** @description The customer's short name. */
            customerId: string;
            siteLocationIds: string[];
            /** @enum {string} */
            deploymentState: "Unknown" | "Deployed";
            errorDetails: string | null;
            /** @description The deployment log as `(Level, message)` pairs joined by `;`. */
            progressDetails: string | null;
        };
        /**
         * VendorDateTime
         * @description A timestamp as the Live Platform writes it. It is **not** RFC 3339, so the contract uses a
         *     `pattern` instead of `format: date-time` (which rejects the vendor's own examples):
         *
         *     - `0001-01-01T00:00:00`: no offset; the .NET `DateTime` default, meaning "unset".
         *     - `2024-04-16T11:58:36.6745335Z`: up to 7 fractional digits (.NET ticks).
         *     - `2025-08-14T08:16:18.736+0000`: an offset without a colon.
         *
         *     A value without an offset is UTC. The client's `parseLiveDate()` turns all three into a `Date`
         *     (or `null` for the unset value).
         * @example 0001-01-01T00:00:00
         * @example 2024-04-16T11:58:36.6745335Z
         * @example 2025-08-14T08:16:18.736+0000
         */
        VendorDateTime: string;
        /** NullableString */
        NullableString: string | null;
        /**
         * OvocServiceSettings
         * @description Settings of one Live Platform service attached to the customer.
         */
        OvocServiceSettings: {
            /** @description The metering tag applied to the customer for this service. */
            meteringTag: string;
        };
        /** VoiceQualityStatus */
        VoiceQualityStatus: {
            /** @example UNMONITORED */
            vqControlStatus: string;
            /** @example UNMONITORED */
            vqMediaStatus: string;
            /** @example UNMONITORED */
            voiceQualityStatus: string;
        };
        /** OvocContacts */
        OvocContacts: {
            email: components["schemas"]["NullableString"];
            phone: components["schemas"]["NullableString"];
            secondaryEmail: components["schemas"]["NullableString"];
            secondaryPhone: components["schemas"]["NullableString"];
            generalInfo: components["schemas"]["NullableString"];
        };
        /**
         * OvocCustomer
         * @description A customer of the Live Platform Operation Center. Open to new fields (the page's status lists
         *     are truncated, so statuses are plain strings); every field of the vendor's example is required.
         */
        OvocCustomer: {
            /**
             * Format: int64
             * @description The customer's OVOC id (the node id sequence).
             */
            id: number;
            name: string;
            /** Format: int64 */
            tenantId: number;
            definedAt: components["schemas"]["VendorDateTime"];
            /** @description IAM account number of the customer in OVOC. */
            iamAccountId: string;
            fullName: components["schemas"]["NullableString"];
            description: components["schemas"]["NullableString"];
            /** @description Supported services by name (LTC, OC, ZOOM, ...). */
            services: {
                [key: string]: components["schemas"]["OvocServiceSettings"];
            };
            applicationsStatus: {
                management: {
                    /** @example ERROR */
                    managementStatus: string;
                };
                voiceQuality: {
                    voiceQualityStatus: string;
                    alertRuleVoiceQualityStatus?: string;
                    teamsVoiceQualityJson?: components["schemas"]["VoiceQualityStatus"];
                    sbcVoiceQualityJson?: components["schemas"]["VoiceQualityStatus"];
                };
            };
            adGroupId: components["schemas"]["NullableString"];
            /** @description REST path of the customer, `/ovoc/v1/topology/lcCustomers/<id>`. */
            url: string;
            msTenantId: components["schemas"]["NullableString"];
            attachedServices: number[];
            /** Format: int64 */
            logoId: number | null;
            /** Format: int64 */
            channelId: number | null;
            contacts: components["schemas"]["OvocContacts"];
            /**
             * @description Management status of the customer.
             * @example ERROR
             */
            status: string;
        };
        /**
         * LeadScriptParameters
         * @description Parameters of the IP Group script. `ProxySet` and `OnlinePstnGateway` are required; any other key
         *     is a custom variable of the script (for example IP-PBX credentials) with a string value.
         */
        LeadScriptParameters: {
            /** @description The SBC Proxy Set (carrier) to apply to the PSTN gateway. */
            ProxySet: string;
            /** @description The Online PSTN gateway (an SBC connected to Live Platform and activated on Microsoft). */
            OnlinePstnGateway: string;
        } & {
            [key: string]: string;
        };
        /**
         * CreateCustomerFromLeadRequest
         * @description Field names as the vendor's examples send them (the table's `ConfigurationName`, `shortName`,
         *     `CustomerFulName` and `msTenantID` are not the wire). Closed: a misspelt field is refused (our
         *     decision; ASP.NET ignores unknown members, so the checker only warns when a server accepts one).
         *
         *     The server accepts any short and full name here and checks them in the task: a short name must
         *     be 3-15 characters of letters, digits and `_`; a full name letters, digits, `_`, `'` and space.
         *     A broken rule ends the task `CompletedFailed` with one message per rule.
         */
        CreateCustomerFromLeadRequest: {
            /**
             * @description The conversion recipe. `OcEssential_IPGROUP_TYPE` creates an IP Group and Proxy Set.
             * @enum {string}
             */
            configurationName: "OcEssential_IPGROUP_TYPE";
            /** @description Short name (checked by the task, not the request; see above). */
            customerShortName: string;
            /** @description Generally the company name (checked by the task). */
            customerFullName?: string;
            msTenantId: components["schemas"]["TenantId"];
            scriptParameters: components["schemas"]["LeadScriptParameters"];
        };
        /**
         * TaskStartedTaskId
         * @description `{taskId}`, as the Create Customer from Lead page shows.
         */
        TaskStartedTaskId: {
            taskId: components["schemas"]["TaskId"];
        };
        /**
         * TaskStartedJobId
         * @description `{jobId}`, as a sibling vendor page (create from lead with a Tenant Id) shows.
         */
        TaskStartedJobId: {
            jobId: components["schemas"]["TaskId"];
        };
        /**
         * TaskStarted
         * @description The initial answer of an operation that queues a task: `{taskId}` as the Create Customer from Lead
         *     page shows, or `{jobId}` as a sibling vendor page (create from lead with a Tenant Id) shows.
         *     Exactly one of the two; either is a task id to poll Get Task with. Open to other members.
         */
        TaskStarted: components["schemas"]["TaskStartedTaskId"] | components["schemas"]["TaskStartedJobId"];
        /**
         * TaskStatus
         * @description The task's status as spelled on the wire. The vendor's prose writes "In Progress" and
         *     "Completed Success"; the server sends the values below. `InProgress` is the only non-terminal
         *     status: once a task is `CompletedSuccess` or `CompletedFailed` it stays so.
         * @enum {string}
         */
        TaskStatus: "InProgress" | "CompletedSuccess" | "CompletedFailed";
        /**
         * TaskDetail
         * @description An outcome word. Known values: `Converted` (the lead became a customer), `Failed` (the task's
         *     validation failed; see executionMessages), `ValidationFailed` (no active lead for the tenant),
         *     `CustomerAlreadyConverted` (the tenant's lead was converted before: a success that created
         *     nothing). The import task sends `[null]`. The list is open: other workflows send other words.
         * @example Converted
         * @example Failed
         * @example ValidationFailed
         * @example CustomerAlreadyConverted
         */
        TaskDetail: string | null;
        /**
         * ExecutionMessage
         * @description One line of the task's log. Open like the other response objects (the vendor never showed it
         *     closed, and ASP.NET adds members freely); `level` and `message` are required and typed.
         */
        ExecutionMessage: {
            /** @enum {string} */
            level: "Information" | "Warning" | "Error";
            /** @example 'Customer Short Name' must be between 3 and 15 characters. */
            message: string;
        };
        /**
         * NumberWorkflowOutputData
         * @description Output of the number-upload workflows (`wup_` tasks).
         */
        NumberWorkflowOutputData: {
            createTime?: components["schemas"]["VendorDateTime"];
            completeTime?: components["schemas"]["VendorDateTime"];
            /** @example ValidationFailed */
            ocUploadNumberResult: string;
            workflowVersion: number;
            msJobStatus?: string;
        };
        /**
         * CustomerOutputData
         * @description Output of the create-from-lead workflow.
         */
        CustomerOutputData: {
            /**
             * Format: uuid
             * @description The customer's id in the Live Platform database, set when a license is applied. `null` when
             *     the task failed or the lead was already converted.
             */
            umpCustomerGuid: string | null;
        };
        /**
         * OtherWorkflowOutputData
         * @description The output of a workflow the vendor's pages do not show: Get Task serves every workflow, so any
         *     object is accepted; a member one of the known shapes names keeps that shape's type.
         */
        OtherWorkflowOutputData: {
            /** Format: uuid */
            umpCustomerGuid?: string | null;
            ocUploadNumberResult?: string;
            workflowVersion?: number;
        } & {
            [key: string]: unknown;
        };
        /**
         * EmptyOutputData
         * @description The import workflow's output (`{}`).
         */
        EmptyOutputData: Record<string, never>;
        /**
         * TaskOutputData
         * @description Depends on the workflow: the number workflow's summary for `wup_` tasks, `{umpCustomerGuid}` for
         *     create-from-lead, empty for import, and any object for a workflow the pages do not show (a known
         *     member keeps its type there). The members are ordered most specific first and the empty object
         *     last, so a generator that tries them in order (a zod union) keeps the data.
         */
        TaskOutputData: components["schemas"]["NumberWorkflowOutputData"] | components["schemas"]["CustomerOutputData"] | components["schemas"]["OtherWorkflowOutputData"] | components["schemas"]["EmptyOutputData"];
        /**
         * Task
         * @description The state of a queued task. Open to new fields (a tolerant reader), but every field the vendor's
         *     examples always carry is required.
         */
        Task: {
            id: components["schemas"]["TaskId"];
            status: components["schemas"]["TaskStatus"];
            /** @description Outcome words; see TaskDetail for the known values. */
            details: components["schemas"]["TaskDetail"][];
            /** @description The task's log, oldest first. The import page types it `null`; its example sends `[]`. */
            executionMessages: components["schemas"]["ExecutionMessage"][] | null;
            outputData: components["schemas"]["TaskOutputData"];
            createTime: components["schemas"]["VendorDateTime"];
            /** @description When processing completed; `null` (or absent) while it has not. */
            completeTime?: components["schemas"]["VendorDateTime"] | null;
            /** @description Not relevant for Live Platform; the vendor sends `null`. */
            cancellationRequested?: boolean | null;
            /** @description Number workflows only. */
            totalNumbersCount?: number;
        };
    };
    responses: {
        /** @description The request is malformed or breaks a documented rule; `errors` names the fields. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ValidationProblemDetails"];
            };
        };
        /**
         * @description No bearer token, or one the server refused. The body may be **empty**: ASP.NET's JwtBearer
         *     handler answers `401` with no body and only the `WWW-Authenticate: Bearer` challenge (with
         *     `error="invalid_token"` and an `error_description` when a token was sent but refused). When a
         *     body is sent, it is a problem.
         */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description The token is valid but lacks the permission for this operation. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description Nothing exists with the id in the path. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description The request body is larger than the server accepts (the sandbox: 64 KiB). */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description The request body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description Rate limited. Wait as `Retry-After` says when it is sent (it is optional), then retry. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfterOptional"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description The server failed. Quote `traceId` to support. */
        InternalServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description The service is overloaded or down for maintenance. Retry later. */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfterOptional"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
        /** @description A customer with this short name already exists for the Microsoft tenant. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["ProblemDetails"];
            };
        };
    };
    parameters: {
        /**
         * @description The Live Platform customer's guid (the `id` that Create Essentials Customer returns).
         * @example 182f496c-0aaa-4023-bdd4-03b9cf8f68b9
         */
        CustomerGuid: string;
        /**
         * @description The customer's OVOC id (a long).
         * @example 85844
         */
        OvocCustomerId: number;
        /**
         * @description The id an operation returned when it queued the task (`tsk_...`, `wst_...`, `wup_...`).
         * @example tsk_185510
         */
        TaskIdPath: components["schemas"]["TaskId"];
    };
    requestBodies: never;
    headers: {
        /**
         * @description The bearer challenge, as ASP.NET's JwtBearer handler writes it: `Bearer`, with
         *     `error="invalid_token"` (and an `error_description`) when a token was sent but refused. Required
         *     on every 401, with or without a body.
         * @example Bearer error="invalid_token", error_description="The token expired at '12/01/2026 14:00:00'"
         */
        WwwAuthenticate: string;
        /**
         * @description When present, how long to wait before retrying: a number of seconds, or an HTTP-date. Optional:
         *     the vendor documents no rate-limit policy, and ASP.NET's rate limiter sends no `Retry-After`
         *     unless the service sets one. The project's client honours it when present and backs off otherwise.
         * @example 30
         */
        RetryAfterOptional: string;
    };
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    importCustomerFromOvoc: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The Live Platform customer's guid (the `id` that Create Essentials Customer returns).
                 * @example 182f496c-0aaa-4023-bdd4-03b9cf8f68b9
                 */
                customerGuid: components["parameters"]["CustomerGuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportCustomerRequest"];
            };
        };
        responses: {
            /**
             * @description The task was queued. The body is its id: a JSON string as the vendor's example shows, or
             *     the same id unquoted as `text/plain`, which is how ASP.NET writes a string result when the
             *     request's `Accept` does not ask for JSON first.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskId"];
                    "text/plain": components["schemas"]["TaskId"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createEssentialsCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEssentialsCustomerRequest"];
            };
        };
        responses: {
            /** @description The customer was created and deployed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EssentialsCustomer"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    verifyLcCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The customer's OVOC id (a long).
                 * @example 85844
                 */
                id: components["parameters"]["OvocCustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OvocCustomer"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createCustomerFromLead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCustomerFromLeadRequest"];
            };
        };
        responses: {
            /** @description The conversion task was queued. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskStarted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The id an operation returned when it queued the task (`tsk_...`, `wst_...`, `wup_...`).
                 * @example tsk_185510
                 */
                taskId: components["parameters"]["TaskIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalServerError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
