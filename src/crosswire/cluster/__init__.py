from crosswire.cluster.online import Candidate, CandidateSource, ClusterPolicy, assign

__all__ = ["Candidate", "CandidateSource", "ClusterPolicy", "assign"]
