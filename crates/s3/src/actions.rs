//! The S3 actions a bucket policy may name (the IAM Service Authorization Reference's list for
//! Amazon S3, general purpose buckets); S3 refuses a policy naming any other with "Policy has
//! invalid action".

/// Every S3 action, lower-cased.
const ACTIONS: &[&str] = &[
    "abortmultipartupload",
    "bypassgovernanceretention",
    "createaccesspoint",
    "createaccesspointforobjectlambda",
    "createbucket",
    "createbucketmetadatatableconfiguration",
    "createjob",
    "createmultiregionaccesspoint",
    "createstoragelensgroup",
    "deleteaccesspoint",
    "deleteaccesspointforobjectlambda",
    "deleteaccesspointpolicy",
    "deleteaccesspointpolicyforobjectlambda",
    "deletebucket",
    "deletebucketmetadatatableconfiguration",
    "deletebucketownershipcontrols",
    "deletebucketpolicy",
    "deletebucketwebsite",
    "deletejobtagging",
    "deletemultiregionaccesspoint",
    "deleteobject",
    "deleteobjecttagging",
    "deleteobjectversion",
    "deleteobjectversiontagging",
    "deletestoragelensconfiguration",
    "deletestoragelensconfigurationtagging",
    "deletestoragelensgroup",
    "describejob",
    "describemultiregionaccesspointoperation",
    "getaccelerateconfiguration",
    "getaccesspoint",
    "getaccesspointconfigurationforobjectlambda",
    "getaccesspointforobjectlambda",
    "getaccesspointpolicy",
    "getaccesspointpolicyforobjectlambda",
    "getaccesspointpolicystatus",
    "getaccesspointpolicystatusforobjectlambda",
    "getaccountpublicaccessblock",
    "getanalyticsconfiguration",
    "getbucketabac",
    "getbucketacl",
    "getbucketcors",
    "getbucketlocation",
    "getbucketlogging",
    "getbucketmetadatatableconfiguration",
    "getbucketnotification",
    "getbucketobjectlockconfiguration",
    "getbucketownershipcontrols",
    "getbucketpolicy",
    "getbucketpolicystatus",
    "getbucketpublicaccessblock",
    "getbucketrequestpayment",
    "getbuckettagging",
    "getbucketversioning",
    "getbucketwebsite",
    "getencryptionconfiguration",
    "getintelligenttieringconfiguration",
    "getinventoryconfiguration",
    "getjobtagging",
    "getlifecycleconfiguration",
    "getmetricsconfiguration",
    "getmultiregionaccesspoint",
    "getmultiregionaccesspointpolicy",
    "getmultiregionaccesspointpolicystatus",
    "getmultiregionaccesspointroutes",
    "getobject",
    "getobjectacl",
    "getobjectattributes",
    "getobjectlegalhold",
    "getobjectretention",
    "getobjecttagging",
    "getobjecttorrent",
    "getobjectversion",
    "getobjectversionacl",
    "getobjectversionattributes",
    "getobjectversionforreplication",
    "getobjectversiontagging",
    "getobjectversiontorrent",
    "getreplicationconfiguration",
    "getstoragelensconfiguration",
    "getstoragelensconfigurationtagging",
    "getstoragelensdashboard",
    "getstoragelensgroup",
    "initiatereplication",
    "listaccesspoints",
    "listaccesspointsforobjectlambda",
    "listallmybuckets",
    "listbucket",
    "listbucketmultipartuploads",
    "listbucketversions",
    "listjobs",
    "listmultipartuploadparts",
    "listmultiregionaccesspoints",
    "liststoragelensconfigurations",
    "liststoragelensgroups",
    "listtagsforresource",
    "objectowneroverridetoowner",
    "putaccelerateconfiguration",
    "putaccesspointconfigurationforobjectlambda",
    "putaccesspointpolicy",
    "putaccesspointpolicyforobjectlambda",
    "putaccesspointpublicaccessblock",
    "putaccountpublicaccessblock",
    "putanalyticsconfiguration",
    "putbucketabac",
    "putbucketacl",
    "putbucketcors",
    "putbucketlogging",
    "putbucketnotification",
    "putbucketobjectlockconfiguration",
    "putbucketownershipcontrols",
    "putbucketpolicy",
    "putbucketpublicaccessblock",
    "putbucketrequestpayment",
    "putbuckettagging",
    "putbucketversioning",
    "putbucketwebsite",
    "putencryptionconfiguration",
    "putintelligenttieringconfiguration",
    "putinventoryconfiguration",
    "putjobtagging",
    "putlifecycleconfiguration",
    "putmetricsconfiguration",
    "putmultiregionaccesspointpolicy",
    "putobject",
    "putobjectacl",
    "putobjectlegalhold",
    "putobjectretention",
    "putobjecttagging",
    "putobjectversionacl",
    "putobjectversiontagging",
    "putreplicationconfiguration",
    "putstoragelensconfiguration",
    "putstoragelensconfigurationtagging",
    "replicatedelete",
    "replicateobject",
    "replicatetags",
    "restoreobject",
    "submitmultiregionaccesspointroutes",
    "tagresource",
    "untagresource",
    "updatebucketmetadatainventorytableconfiguration",
    "updatebucketmetadatajournaltableconfiguration",
    "updatejobpriority",
    "updatejobstatus",
    "updatestoragelensgroup",
];

/// Whether a bucket policy may name `action` (`s3:GetObject`, `s3:Get*`, `*`).
pub fn is_s3_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    if !service.eq_ignore_ascii_case("s3") {
        return false;
    }
    if name.contains('*') || name.contains('?') {
        return !name.is_empty();
    }
    ACTIONS.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_s3_actions_are_valid_in_a_bucket_policy() {
        for good in [
            "s3:GetObject",
            "S3:getobject",
            "s3:*",
            "s3:Get*",
            "*",
            "s3:PutBucketPolicy",
        ] {
            assert!(is_s3_action(good), "{good}");
        }
        for bad in ["s3:NoSuchAction", "iam:CreateUser", "GetObject", "s3:"] {
            assert!(!is_s3_action(bad), "{bad}");
        }
    }
}
