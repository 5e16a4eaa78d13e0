# encoding: utf-8
from antlr4 import *
from io import StringIO
import sys
if sys.version_info[1] > 5:
	from typing import TextIO
else:
	from typing.io import TextIO

def serializedATN():
    return [
        4,1,58,648,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,4,2,5,7,5,2,6,7,
        6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,2,12,7,12,2,13,7,13,
        2,14,7,14,2,15,7,15,2,16,7,16,2,17,7,17,2,18,7,18,2,19,7,19,2,20,
        7,20,2,21,7,21,2,22,7,22,2,23,7,23,2,24,7,24,2,25,7,25,2,26,7,26,
        2,27,7,27,2,28,7,28,2,29,7,29,2,30,7,30,2,31,7,31,2,32,7,32,2,33,
        7,33,2,34,7,34,2,35,7,35,2,36,7,36,2,37,7,37,2,38,7,38,2,39,7,39,
        2,40,7,40,2,41,7,41,2,42,7,42,2,43,7,43,2,44,7,44,2,45,7,45,2,46,
        7,46,2,47,7,47,2,48,7,48,2,49,7,49,2,50,7,50,2,51,7,51,2,52,7,52,
        2,53,7,53,2,54,7,54,2,55,7,55,2,56,7,56,2,57,7,57,2,58,7,58,2,59,
        7,59,2,60,7,60,1,0,1,0,1,1,1,1,1,2,1,2,1,3,1,3,1,4,1,4,1,5,1,5,1,
        6,1,6,1,6,1,7,1,7,1,8,1,8,1,8,1,9,1,9,1,10,1,10,1,11,1,11,1,11,1,
        11,1,11,1,11,1,11,1,11,1,11,1,11,3,11,157,8,11,1,12,1,12,1,12,1,
        12,1,12,1,12,1,12,1,12,1,12,3,12,168,8,12,1,13,1,13,1,13,1,13,5,
        13,174,8,13,10,13,12,13,177,9,13,3,13,179,8,13,1,14,1,14,1,14,1,
        14,1,14,1,14,1,14,1,14,3,14,189,8,14,1,15,1,15,1,16,1,16,1,16,1,
        16,1,16,1,16,1,16,1,16,3,16,201,8,16,1,16,1,16,1,16,1,16,5,16,207,
        8,16,10,16,12,16,210,9,16,1,17,1,17,1,18,1,18,1,18,1,19,1,19,1,19,
        1,19,5,19,221,8,19,10,19,12,19,224,9,19,1,19,1,19,1,20,3,20,229,
        8,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,
        1,20,1,20,3,20,245,8,20,1,20,1,20,1,20,3,20,250,8,20,1,20,1,20,3,
        20,254,8,20,1,21,1,21,1,21,1,22,1,22,1,22,1,22,1,22,3,22,264,8,22,
        1,23,1,23,1,23,1,23,5,23,270,8,23,10,23,12,23,273,9,23,1,23,1,23,
        1,24,3,24,278,8,24,1,24,1,24,1,24,3,24,283,8,24,1,24,1,24,1,24,3,
        24,288,8,24,1,24,1,24,1,24,3,24,293,8,24,1,24,3,24,296,8,24,1,25,
        1,25,1,26,1,26,1,26,1,26,5,26,304,8,26,10,26,12,26,307,9,26,1,26,
        1,26,1,27,3,27,312,8,27,1,27,1,27,1,27,1,27,1,27,1,27,1,27,1,27,
        1,27,1,27,1,27,1,27,1,27,1,27,3,27,328,8,27,1,27,1,27,1,27,3,27,
        333,8,27,1,27,1,27,3,27,337,8,27,1,28,1,28,1,28,1,28,5,28,343,8,
        28,10,28,12,28,346,9,28,1,28,1,28,1,29,3,29,351,8,29,1,29,1,29,1,
        29,1,29,1,29,1,29,1,29,1,29,1,29,1,29,1,29,1,29,1,29,1,29,3,29,367,
        8,29,1,29,1,29,1,29,3,29,372,8,29,1,29,1,29,3,29,376,8,29,1,30,1,
        30,1,30,1,30,5,30,382,8,30,10,30,12,30,385,9,30,1,30,1,30,1,31,3,
        31,390,8,31,1,31,1,31,1,31,1,31,1,31,1,31,1,31,1,31,1,31,1,31,1,
        31,1,31,1,31,1,31,3,31,406,8,31,1,31,1,31,1,31,3,31,411,8,31,1,31,
        1,31,3,31,415,8,31,1,32,1,32,1,33,1,33,1,34,1,34,1,34,3,34,424,8,
        34,1,35,1,35,1,36,3,36,429,8,36,1,36,1,36,1,37,1,37,1,37,1,37,3,
        37,437,8,37,1,38,1,38,1,38,1,38,1,38,3,38,444,8,38,1,39,1,39,1,39,
        1,40,1,40,1,40,1,40,1,40,1,40,5,40,455,8,40,10,40,12,40,458,9,40,
        3,40,460,8,40,1,40,1,40,1,41,1,41,1,41,1,41,1,41,1,41,5,41,470,8,
        41,10,41,12,41,473,9,41,3,41,475,8,41,1,41,1,41,1,42,1,42,1,42,1,
        42,1,43,1,43,5,43,485,8,43,10,43,12,43,488,9,43,1,43,3,43,491,8,
        43,1,43,3,43,494,8,43,1,43,3,43,497,8,43,1,43,5,43,500,8,43,10,43,
        12,43,503,9,43,1,44,1,44,5,44,507,8,44,10,44,12,44,510,9,44,1,45,
        1,45,3,45,514,8,45,1,46,1,46,1,46,1,46,1,47,5,47,521,8,47,10,47,
        12,47,524,9,47,1,48,1,48,1,48,1,48,1,48,3,48,531,8,48,1,48,3,48,
        534,8,48,1,48,1,48,1,48,1,48,1,48,1,48,5,48,542,8,48,10,48,12,48,
        545,9,48,1,49,1,49,1,49,5,49,550,8,49,10,49,12,49,553,9,49,1,50,
        1,50,1,50,5,50,558,8,50,10,50,12,50,561,9,50,1,51,1,51,1,51,1,51,
        1,51,1,51,1,51,1,51,1,51,1,51,1,51,3,51,574,8,51,1,52,1,52,1,52,
        1,52,1,52,1,52,1,52,1,52,1,52,1,52,1,52,3,52,587,8,52,1,53,1,53,
        1,53,1,53,5,53,593,8,53,10,53,12,53,596,9,53,1,53,1,53,1,54,1,54,
        1,54,1,54,1,55,1,55,3,55,606,8,55,1,56,1,56,1,56,1,56,5,56,612,8,
        56,10,56,12,56,615,9,56,1,56,1,56,1,57,1,57,1,57,1,57,1,58,1,58,
        1,58,1,58,1,59,1,59,1,59,1,59,1,59,3,59,632,8,59,1,60,3,60,635,8,
        60,1,60,3,60,638,8,60,1,60,3,60,641,8,60,1,60,3,60,644,8,60,1,60,
        1,60,1,60,0,2,32,96,61,0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,
        32,34,36,38,40,42,44,46,48,50,52,54,56,58,60,62,64,66,68,70,72,74,
        76,78,80,82,84,86,88,90,92,94,96,98,100,102,104,106,108,110,112,
        114,116,118,120,0,7,1,0,6,8,2,0,48,48,52,52,1,0,9,13,1,0,50,51,2,
        0,14,14,55,55,2,0,14,16,55,55,2,0,33,33,35,35,691,0,122,1,0,0,0,
        2,124,1,0,0,0,4,126,1,0,0,0,6,128,1,0,0,0,8,130,1,0,0,0,10,132,1,
        0,0,0,12,134,1,0,0,0,14,137,1,0,0,0,16,139,1,0,0,0,18,142,1,0,0,
        0,20,144,1,0,0,0,22,156,1,0,0,0,24,167,1,0,0,0,26,178,1,0,0,0,28,
        188,1,0,0,0,30,190,1,0,0,0,32,200,1,0,0,0,34,211,1,0,0,0,36,213,
        1,0,0,0,38,216,1,0,0,0,40,253,1,0,0,0,42,255,1,0,0,0,44,263,1,0,
        0,0,46,265,1,0,0,0,48,295,1,0,0,0,50,297,1,0,0,0,52,299,1,0,0,0,
        54,336,1,0,0,0,56,338,1,0,0,0,58,375,1,0,0,0,60,377,1,0,0,0,62,414,
        1,0,0,0,64,416,1,0,0,0,66,418,1,0,0,0,68,423,1,0,0,0,70,425,1,0,
        0,0,72,428,1,0,0,0,74,432,1,0,0,0,76,443,1,0,0,0,78,445,1,0,0,0,
        80,448,1,0,0,0,82,463,1,0,0,0,84,478,1,0,0,0,86,482,1,0,0,0,88,504,
        1,0,0,0,90,513,1,0,0,0,92,515,1,0,0,0,94,522,1,0,0,0,96,533,1,0,
        0,0,98,546,1,0,0,0,100,554,1,0,0,0,102,573,1,0,0,0,104,586,1,0,0,
        0,106,588,1,0,0,0,108,599,1,0,0,0,110,605,1,0,0,0,112,607,1,0,0,
        0,114,618,1,0,0,0,116,622,1,0,0,0,118,631,1,0,0,0,120,634,1,0,0,
        0,122,123,5,1,0,0,123,1,1,0,0,0,124,125,5,2,0,0,125,3,1,0,0,0,126,
        127,5,3,0,0,127,5,1,0,0,0,128,129,5,4,0,0,129,7,1,0,0,0,130,131,
        5,5,0,0,131,9,1,0,0,0,132,133,7,0,0,0,133,11,1,0,0,0,134,135,7,1,
        0,0,135,136,3,10,5,0,136,13,1,0,0,0,137,138,7,2,0,0,138,15,1,0,0,
        0,139,140,7,1,0,0,140,141,3,14,7,0,141,17,1,0,0,0,142,143,7,3,0,
        0,143,19,1,0,0,0,144,145,7,4,0,0,145,21,1,0,0,0,146,157,5,49,0,0,
        147,157,3,8,4,0,148,149,5,31,0,0,149,150,3,8,4,0,150,151,3,20,10,
        0,151,152,3,12,6,0,152,153,5,32,0,0,153,157,1,0,0,0,154,157,3,18,
        9,0,155,157,5,36,0,0,156,146,1,0,0,0,156,147,1,0,0,0,156,148,1,0,
        0,0,156,154,1,0,0,0,156,155,1,0,0,0,157,23,1,0,0,0,158,168,5,48,
        0,0,159,160,5,55,0,0,160,168,5,48,0,0,161,168,5,52,0,0,162,163,5,
        55,0,0,163,168,5,52,0,0,164,168,5,53,0,0,165,166,5,55,0,0,166,168,
        5,53,0,0,167,158,1,0,0,0,167,159,1,0,0,0,167,161,1,0,0,0,167,162,
        1,0,0,0,167,164,1,0,0,0,167,165,1,0,0,0,168,25,1,0,0,0,169,179,3,
        32,16,0,170,175,3,32,16,0,171,172,5,24,0,0,172,174,3,32,16,0,173,
        171,1,0,0,0,174,177,1,0,0,0,175,173,1,0,0,0,175,176,1,0,0,0,176,
        179,1,0,0,0,177,175,1,0,0,0,178,169,1,0,0,0,178,170,1,0,0,0,179,
        27,1,0,0,0,180,181,5,57,0,0,181,182,5,31,0,0,182,189,5,32,0,0,183,
        184,5,57,0,0,184,185,5,31,0,0,185,186,3,26,13,0,186,187,5,32,0,0,
        187,189,1,0,0,0,188,180,1,0,0,0,188,183,1,0,0,0,189,29,1,0,0,0,190,
        191,7,5,0,0,191,31,1,0,0,0,192,193,6,16,-1,0,193,201,3,28,14,0,194,
        195,5,31,0,0,195,196,3,32,16,0,196,197,5,32,0,0,197,201,1,0,0,0,
        198,201,3,24,12,0,199,201,5,36,0,0,200,192,1,0,0,0,200,194,1,0,0,
        0,200,198,1,0,0,0,200,199,1,0,0,0,201,208,1,0,0,0,202,203,10,5,0,
        0,203,204,3,30,15,0,204,205,3,32,16,6,205,207,1,0,0,0,206,202,1,
        0,0,0,207,210,1,0,0,0,208,206,1,0,0,0,208,209,1,0,0,0,209,33,1,0,
        0,0,210,208,1,0,0,0,211,212,5,54,0,0,212,35,1,0,0,0,213,214,5,17,
        0,0,214,215,3,34,17,0,215,37,1,0,0,0,216,217,5,29,0,0,217,222,3,
        32,16,0,218,219,5,24,0,0,219,221,3,32,16,0,220,218,1,0,0,0,221,224,
        1,0,0,0,222,220,1,0,0,0,222,223,1,0,0,0,223,225,1,0,0,0,224,222,
        1,0,0,0,225,226,5,30,0,0,226,39,1,0,0,0,227,229,5,46,0,0,228,227,
        1,0,0,0,228,229,1,0,0,0,229,230,1,0,0,0,230,231,5,39,0,0,231,232,
        3,32,16,0,232,233,5,33,0,0,233,234,3,32,16,0,234,254,1,0,0,0,235,
        236,5,41,0,0,236,254,3,32,16,0,237,238,5,42,0,0,238,254,3,32,16,
        0,239,240,5,43,0,0,240,254,3,32,16,0,241,242,5,44,0,0,242,254,3,
        32,16,0,243,245,5,47,0,0,244,243,1,0,0,0,244,245,1,0,0,0,245,246,
        1,0,0,0,246,247,5,40,0,0,247,254,3,32,16,0,248,250,5,46,0,0,249,
        248,1,0,0,0,249,250,1,0,0,0,250,251,1,0,0,0,251,252,5,45,0,0,252,
        254,3,38,19,0,253,228,1,0,0,0,253,235,1,0,0,0,253,237,1,0,0,0,253,
        239,1,0,0,0,253,241,1,0,0,0,253,244,1,0,0,0,253,249,1,0,0,0,254,
        41,1,0,0,0,255,256,5,18,0,0,256,257,5,57,0,0,257,43,1,0,0,0,258,
        264,3,34,17,0,259,264,3,42,21,0,260,264,5,36,0,0,261,264,5,37,0,
        0,262,264,5,38,0,0,263,258,1,0,0,0,263,259,1,0,0,0,263,260,1,0,0,
        0,263,261,1,0,0,0,263,262,1,0,0,0,264,45,1,0,0,0,265,266,5,29,0,
        0,266,271,3,44,22,0,267,268,5,24,0,0,268,270,3,44,22,0,269,267,1,
        0,0,0,270,273,1,0,0,0,271,269,1,0,0,0,271,272,1,0,0,0,272,274,1,
        0,0,0,273,271,1,0,0,0,274,275,5,30,0,0,275,47,1,0,0,0,276,278,5,
        47,0,0,277,276,1,0,0,0,277,278,1,0,0,0,278,279,1,0,0,0,279,280,5,
        40,0,0,280,296,3,44,22,0,281,283,5,46,0,0,282,281,1,0,0,0,282,283,
        1,0,0,0,283,284,1,0,0,0,284,285,5,45,0,0,285,296,3,46,23,0,286,288,
        5,46,0,0,287,286,1,0,0,0,287,288,1,0,0,0,288,289,1,0,0,0,289,290,
        5,45,0,0,290,296,3,42,21,0,291,293,5,46,0,0,292,291,1,0,0,0,292,
        293,1,0,0,0,293,294,1,0,0,0,294,296,3,36,18,0,295,277,1,0,0,0,295,
        282,1,0,0,0,295,287,1,0,0,0,295,292,1,0,0,0,296,49,1,0,0,0,297,298,
        5,57,0,0,298,51,1,0,0,0,299,300,5,29,0,0,300,305,3,22,11,0,301,302,
        5,24,0,0,302,304,3,22,11,0,303,301,1,0,0,0,304,307,1,0,0,0,305,303,
        1,0,0,0,305,306,1,0,0,0,306,308,1,0,0,0,307,305,1,0,0,0,308,309,
        5,30,0,0,309,53,1,0,0,0,310,312,5,46,0,0,311,310,1,0,0,0,311,312,
        1,0,0,0,312,313,1,0,0,0,313,314,5,39,0,0,314,315,3,22,11,0,315,316,
        5,33,0,0,316,317,3,22,11,0,317,337,1,0,0,0,318,319,5,41,0,0,319,
        337,3,22,11,0,320,321,5,42,0,0,321,337,3,22,11,0,322,323,5,43,0,
        0,323,337,3,22,11,0,324,325,5,44,0,0,325,337,3,22,11,0,326,328,5,
        47,0,0,327,326,1,0,0,0,327,328,1,0,0,0,328,329,1,0,0,0,329,330,5,
        40,0,0,330,337,3,22,11,0,331,333,5,46,0,0,332,331,1,0,0,0,332,333,
        1,0,0,0,333,334,1,0,0,0,334,335,5,45,0,0,335,337,3,52,26,0,336,311,
        1,0,0,0,336,318,1,0,0,0,336,320,1,0,0,0,336,322,1,0,0,0,336,324,
        1,0,0,0,336,327,1,0,0,0,336,332,1,0,0,0,337,55,1,0,0,0,338,339,5,
        29,0,0,339,344,3,12,6,0,340,341,5,24,0,0,341,343,3,12,6,0,342,340,
        1,0,0,0,343,346,1,0,0,0,344,342,1,0,0,0,344,345,1,0,0,0,345,347,
        1,0,0,0,346,344,1,0,0,0,347,348,5,30,0,0,348,57,1,0,0,0,349,351,
        5,46,0,0,350,349,1,0,0,0,350,351,1,0,0,0,351,352,1,0,0,0,352,353,
        5,39,0,0,353,354,3,12,6,0,354,355,5,33,0,0,355,356,3,12,6,0,356,
        376,1,0,0,0,357,358,5,41,0,0,358,376,3,12,6,0,359,360,5,42,0,0,360,
        376,3,12,6,0,361,362,5,43,0,0,362,376,3,12,6,0,363,364,5,44,0,0,
        364,376,3,12,6,0,365,367,5,47,0,0,366,365,1,0,0,0,366,367,1,0,0,
        0,367,368,1,0,0,0,368,369,5,40,0,0,369,376,3,12,6,0,370,372,5,46,
        0,0,371,370,1,0,0,0,371,372,1,0,0,0,372,373,1,0,0,0,373,374,5,45,
        0,0,374,376,3,56,28,0,375,350,1,0,0,0,375,357,1,0,0,0,375,359,1,
        0,0,0,375,361,1,0,0,0,375,363,1,0,0,0,375,366,1,0,0,0,375,371,1,
        0,0,0,376,59,1,0,0,0,377,378,5,29,0,0,378,383,3,16,8,0,379,380,5,
        24,0,0,380,382,3,16,8,0,381,379,1,0,0,0,382,385,1,0,0,0,383,381,
        1,0,0,0,383,384,1,0,0,0,384,386,1,0,0,0,385,383,1,0,0,0,386,387,
        5,30,0,0,387,61,1,0,0,0,388,390,5,46,0,0,389,388,1,0,0,0,389,390,
        1,0,0,0,390,391,1,0,0,0,391,392,5,39,0,0,392,393,3,16,8,0,393,394,
        5,33,0,0,394,395,3,16,8,0,395,415,1,0,0,0,396,397,5,41,0,0,397,415,
        3,16,8,0,398,399,5,42,0,0,399,415,3,16,8,0,400,401,5,43,0,0,401,
        415,3,16,8,0,402,403,5,44,0,0,403,415,3,16,8,0,404,406,5,47,0,0,
        405,404,1,0,0,0,405,406,1,0,0,0,406,407,1,0,0,0,407,408,5,40,0,0,
        408,415,3,16,8,0,409,411,5,46,0,0,410,409,1,0,0,0,410,411,1,0,0,
        0,411,412,1,0,0,0,412,413,5,45,0,0,413,415,3,60,30,0,414,389,1,0,
        0,0,414,396,1,0,0,0,414,398,1,0,0,0,414,400,1,0,0,0,414,402,1,0,
        0,0,414,405,1,0,0,0,414,410,1,0,0,0,415,63,1,0,0,0,416,417,5,57,
        0,0,417,65,1,0,0,0,418,419,5,57,0,0,419,67,1,0,0,0,420,424,5,54,
        0,0,421,424,5,57,0,0,422,424,3,42,21,0,423,420,1,0,0,0,423,421,1,
        0,0,0,423,422,1,0,0,0,424,69,1,0,0,0,425,426,7,6,0,0,426,71,1,0,
        0,0,427,429,3,70,35,0,428,427,1,0,0,0,428,429,1,0,0,0,429,430,1,
        0,0,0,430,431,3,68,34,0,431,73,1,0,0,0,432,433,5,19,0,0,433,436,
        3,50,25,0,434,437,3,48,24,0,435,437,3,40,20,0,436,434,1,0,0,0,436,
        435,1,0,0,0,437,75,1,0,0,0,438,444,3,40,20,0,439,444,3,48,24,0,440,
        444,3,54,27,0,441,444,3,58,29,0,442,444,3,62,31,0,443,438,1,0,0,
        0,443,439,1,0,0,0,443,440,1,0,0,0,443,441,1,0,0,0,443,442,1,0,0,
        0,444,77,1,0,0,0,445,446,5,20,0,0,446,447,3,34,17,0,447,79,1,0,0,
        0,448,449,5,21,0,0,449,450,5,40,0,0,450,459,5,29,0,0,451,456,3,84,
        42,0,452,453,5,24,0,0,453,455,3,84,42,0,454,452,1,0,0,0,455,458,
        1,0,0,0,456,454,1,0,0,0,456,457,1,0,0,0,457,460,1,0,0,0,458,456,
        1,0,0,0,459,451,1,0,0,0,459,460,1,0,0,0,460,461,1,0,0,0,461,462,
        5,30,0,0,462,81,1,0,0,0,463,464,5,22,0,0,464,465,5,40,0,0,465,474,
        5,29,0,0,466,471,3,84,42,0,467,468,5,24,0,0,468,470,3,84,42,0,469,
        467,1,0,0,0,470,473,1,0,0,0,471,469,1,0,0,0,471,472,1,0,0,0,472,
        475,1,0,0,0,473,471,1,0,0,0,474,466,1,0,0,0,474,475,1,0,0,0,475,
        476,1,0,0,0,476,477,5,30,0,0,477,83,1,0,0,0,478,479,3,34,17,0,479,
        480,5,40,0,0,480,481,3,34,17,0,481,85,1,0,0,0,482,486,3,64,32,0,
        483,485,3,72,36,0,484,483,1,0,0,0,485,488,1,0,0,0,486,484,1,0,0,
        0,486,487,1,0,0,0,487,490,1,0,0,0,488,486,1,0,0,0,489,491,3,76,38,
        0,490,489,1,0,0,0,490,491,1,0,0,0,491,493,1,0,0,0,492,494,3,78,39,
        0,493,492,1,0,0,0,493,494,1,0,0,0,494,496,1,0,0,0,495,497,3,82,41,
        0,496,495,1,0,0,0,496,497,1,0,0,0,497,501,1,0,0,0,498,500,3,74,37,
        0,499,498,1,0,0,0,500,503,1,0,0,0,501,499,1,0,0,0,501,502,1,0,0,
        0,502,87,1,0,0,0,503,501,1,0,0,0,504,508,3,66,33,0,505,507,3,72,
        36,0,506,505,1,0,0,0,507,510,1,0,0,0,508,506,1,0,0,0,508,509,1,0,
        0,0,509,89,1,0,0,0,510,508,1,0,0,0,511,514,3,44,22,0,512,514,3,46,
        23,0,513,511,1,0,0,0,513,512,1,0,0,0,514,91,1,0,0,0,515,516,5,57,
        0,0,516,517,5,40,0,0,517,518,3,90,45,0,518,93,1,0,0,0,519,521,3,
        92,46,0,520,519,1,0,0,0,521,524,1,0,0,0,522,520,1,0,0,0,522,523,
        1,0,0,0,523,95,1,0,0,0,524,522,1,0,0,0,525,526,6,48,-1,0,526,527,
        5,31,0,0,527,528,3,96,48,0,528,530,5,32,0,0,529,531,3,82,41,0,530,
        529,1,0,0,0,530,531,1,0,0,0,531,534,1,0,0,0,532,534,3,86,43,0,533,
        525,1,0,0,0,533,532,1,0,0,0,534,543,1,0,0,0,535,536,10,3,0,0,536,
        537,5,33,0,0,537,542,3,96,48,4,538,539,10,2,0,0,539,540,5,34,0,0,
        540,542,3,96,48,3,541,535,1,0,0,0,541,538,1,0,0,0,542,545,1,0,0,
        0,543,541,1,0,0,0,543,544,1,0,0,0,544,97,1,0,0,0,545,543,1,0,0,0,
        546,551,3,96,48,0,547,548,5,24,0,0,548,550,3,96,48,0,549,547,1,0,
        0,0,550,553,1,0,0,0,551,549,1,0,0,0,551,552,1,0,0,0,552,99,1,0,0,
        0,553,551,1,0,0,0,554,559,3,88,44,0,555,556,5,24,0,0,556,558,3,88,
        44,0,557,555,1,0,0,0,558,561,1,0,0,0,559,557,1,0,0,0,559,560,1,0,
        0,0,560,101,1,0,0,0,561,559,1,0,0,0,562,563,3,4,2,0,563,564,5,40,
        0,0,564,565,5,29,0,0,565,566,3,98,49,0,566,567,5,30,0,0,567,574,
        1,0,0,0,568,569,3,4,2,0,569,570,5,40,0,0,570,571,5,29,0,0,571,572,
        5,30,0,0,572,574,1,0,0,0,573,562,1,0,0,0,573,568,1,0,0,0,574,103,
        1,0,0,0,575,576,3,6,3,0,576,577,5,40,0,0,577,578,5,29,0,0,578,579,
        3,100,50,0,579,580,5,30,0,0,580,587,1,0,0,0,581,582,3,6,3,0,582,
        583,5,40,0,0,583,584,5,29,0,0,584,585,5,30,0,0,585,587,1,0,0,0,586,
        575,1,0,0,0,586,581,1,0,0,0,587,105,1,0,0,0,588,589,5,27,0,0,589,
        594,3,108,54,0,590,591,5,24,0,0,591,593,3,108,54,0,592,590,1,0,0,
        0,593,596,1,0,0,0,594,592,1,0,0,0,594,595,1,0,0,0,595,597,1,0,0,
        0,596,594,1,0,0,0,597,598,5,28,0,0,598,107,1,0,0,0,599,600,5,54,
        0,0,600,601,5,23,0,0,601,602,3,110,55,0,602,109,1,0,0,0,603,606,
        5,54,0,0,604,606,3,112,56,0,605,603,1,0,0,0,605,604,1,0,0,0,606,
        111,1,0,0,0,607,608,5,29,0,0,608,613,5,54,0,0,609,610,5,24,0,0,610,
        612,5,54,0,0,611,609,1,0,0,0,612,615,1,0,0,0,613,611,1,0,0,0,613,
        614,1,0,0,0,614,616,1,0,0,0,615,613,1,0,0,0,616,617,5,30,0,0,617,
        113,1,0,0,0,618,619,3,0,0,0,619,620,5,40,0,0,620,621,3,106,53,0,
        621,115,1,0,0,0,622,623,3,2,1,0,623,624,5,40,0,0,624,625,3,106,53,
        0,625,117,1,0,0,0,626,632,3,102,51,0,627,632,3,104,52,0,628,629,
        3,102,51,0,629,630,3,104,52,0,630,632,1,0,0,0,631,626,1,0,0,0,631,
        627,1,0,0,0,631,628,1,0,0,0,632,119,1,0,0,0,633,635,3,114,57,0,634,
        633,1,0,0,0,634,635,1,0,0,0,635,637,1,0,0,0,636,638,3,116,58,0,637,
        636,1,0,0,0,637,638,1,0,0,0,638,640,1,0,0,0,639,641,3,94,47,0,640,
        639,1,0,0,0,640,641,1,0,0,0,641,643,1,0,0,0,642,644,3,80,40,0,643,
        642,1,0,0,0,643,644,1,0,0,0,644,645,1,0,0,0,645,646,3,118,59,0,646,
        121,1,0,0,0,66,156,167,175,178,188,200,208,222,228,244,249,253,263,
        271,277,282,287,292,295,305,311,327,332,336,344,350,366,371,375,
        383,389,405,410,414,423,428,436,443,456,459,471,474,486,490,493,
        496,501,508,513,522,530,533,541,543,551,559,573,586,594,605,613,
        631,634,637,640,643
    ]

class DataQualityDefinitionLanguageParser ( Parser ):

    grammarFileName = "DataQualityDefinitionLanguage.g4"

    atn = ATNDeserializer().deserialize(serializedATN())

    decisionsToDFA = [ DFA(ds, i) for i, ds in enumerate(atn.decisionToState) ]

    sharedContextCache = PredictionContextCache()

    literalNames = [ "<INVALID>", "'Metadata'", "'DataSources'", "'Rules'", 
                     "'Analyzers'", "'now()'", "'days'", "'hours'", "'minutes'", 
                     "'B'", "'KB'", "'MB'", "'GB'", "'TB'", "'+'", "'/'", 
                     "'*'", "'matches'", "'$'", "'with'", "'where'", "'DefaultLabels'", 
                     "'labels'", "':'", "','", "'''", "'\"'", "'{'", "'}'", 
                     "'['", "']'", "'('", "')'", "<INVALID>", "<INVALID>", 
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                     "'between'", "'='", "'>'", "'>='", "'<'", "'<='", "'in'", 
                     "'not'", "'!'", "<INVALID>", "<INVALID>", "<INVALID>", 
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                     "'-'" ]

    symbolicNames = [ "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                      "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                      "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                      "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                      "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>", 
                      "<INVALID>", "<INVALID>", "<INVALID>", "COLON", "COMMA", 
                      "SINGLE_QUOTE", "QUOTE", "LCURL", "RCURL", "LBRAC", 
                      "RBRAC", "LPAREN", "RPAREN", "AND", "OR", "OF", "NULL", 
                      "EMPTY", "WHITESPACES_ONLY", "BETWEEN", "EQUAL_TO", 
                      "GREATER_THAN", "GREATER_THAN_EQUAL_TO", "LESS_THAN", 
                      "LESS_THAN_EQUAL_TO", "IN", "NOT", "NEGATION", "DIGIT", 
                      "DATE", "TIME", "MIL_TIME", "INT", "DECIMAL", "QUOTED_STRING", 
                      "NEGATIVE", "LINE_COMMENT", "IDENTIFIER", "WS" ]

    RULE_metadataSectionStart = 0
    RULE_dataSourcesSectionStart = 1
    RULE_rulesSectionStart = 2
    RULE_analyzersSectionStart = 3
    RULE_dateNow = 4
    RULE_durationUnit = 5
    RULE_durationExpression = 6
    RULE_sizeUnit = 7
    RULE_sizeExpression = 8
    RULE_timeExpression = 9
    RULE_dateExpressionOp = 10
    RULE_dateExpression = 11
    RULE_atomicNumber = 12
    RULE_functionParameters = 13
    RULE_functionCall = 14
    RULE_numberOp = 15
    RULE_number = 16
    RULE_quotedString = 17
    RULE_matchesRegexCondition = 18
    RULE_numberArray = 19
    RULE_numberBasedCondition = 20
    RULE_variableDereference = 21
    RULE_stringValues = 22
    RULE_stringValuesArray = 23
    RULE_stringBasedCondition = 24
    RULE_tagValues = 25
    RULE_dateExpressionArray = 26
    RULE_dateBasedCondition = 27
    RULE_durationExpressionArray = 28
    RULE_durationBasedCondition = 29
    RULE_sizeExpressionArray = 30
    RULE_sizeBasedCondition = 31
    RULE_ruleType = 32
    RULE_analyzerType = 33
    RULE_parameter = 34
    RULE_connectorWord = 35
    RULE_parameterWithConnectorWord = 36
    RULE_tagWithCondition = 37
    RULE_condition = 38
    RULE_whereClause = 39
    RULE_defaultLabels = 40
    RULE_labels = 41
    RULE_label = 42
    RULE_dqRule = 43
    RULE_dqAnalyzer = 44
    RULE_expression = 45
    RULE_variableDeclaration = 46
    RULE_variableDeclarations = 47
    RULE_topLevelRule = 48
    RULE_dqRules = 49
    RULE_dqAnalyzers = 50
    RULE_rules = 51
    RULE_analyzers = 52
    RULE_dictionary = 53
    RULE_pair = 54
    RULE_pairValue = 55
    RULE_array = 56
    RULE_metadata = 57
    RULE_dataSources = 58
    RULE_rulesOrAnalyzers = 59
    RULE_document = 60

    ruleNames =  [ "metadataSectionStart", "dataSourcesSectionStart", "rulesSectionStart", 
                   "analyzersSectionStart", "dateNow", "durationUnit", "durationExpression", 
                   "sizeUnit", "sizeExpression", "timeExpression", "dateExpressionOp", 
                   "dateExpression", "atomicNumber", "functionParameters", 
                   "functionCall", "numberOp", "number", "quotedString", 
                   "matchesRegexCondition", "numberArray", "numberBasedCondition", 
                   "variableDereference", "stringValues", "stringValuesArray", 
                   "stringBasedCondition", "tagValues", "dateExpressionArray", 
                   "dateBasedCondition", "durationExpressionArray", "durationBasedCondition", 
                   "sizeExpressionArray", "sizeBasedCondition", "ruleType", 
                   "analyzerType", "parameter", "connectorWord", "parameterWithConnectorWord", 
                   "tagWithCondition", "condition", "whereClause", "defaultLabels", 
                   "labels", "label", "dqRule", "dqAnalyzer", "expression", 
                   "variableDeclaration", "variableDeclarations", "topLevelRule", 
                   "dqRules", "dqAnalyzers", "rules", "analyzers", "dictionary", 
                   "pair", "pairValue", "array", "metadata", "dataSources", 
                   "rulesOrAnalyzers", "document" ]

    EOF = Token.EOF
    T__0=1
    T__1=2
    T__2=3
    T__3=4
    T__4=5
    T__5=6
    T__6=7
    T__7=8
    T__8=9
    T__9=10
    T__10=11
    T__11=12
    T__12=13
    T__13=14
    T__14=15
    T__15=16
    T__16=17
    T__17=18
    T__18=19
    T__19=20
    T__20=21
    T__21=22
    COLON=23
    COMMA=24
    SINGLE_QUOTE=25
    QUOTE=26
    LCURL=27
    RCURL=28
    LBRAC=29
    RBRAC=30
    LPAREN=31
    RPAREN=32
    AND=33
    OR=34
    OF=35
    NULL=36
    EMPTY=37
    WHITESPACES_ONLY=38
    BETWEEN=39
    EQUAL_TO=40
    GREATER_THAN=41
    GREATER_THAN_EQUAL_TO=42
    LESS_THAN=43
    LESS_THAN_EQUAL_TO=44
    IN=45
    NOT=46
    NEGATION=47
    DIGIT=48
    DATE=49
    TIME=50
    MIL_TIME=51
    INT=52
    DECIMAL=53
    QUOTED_STRING=54
    NEGATIVE=55
    LINE_COMMENT=56
    IDENTIFIER=57
    WS=58

    def __init__(self, input:TokenStream, output:TextIO = sys.stdout):
        super().__init__(input, output)
        self.checkVersion("4.13.2")
        self._interp = ParserATNSimulator(self, self.atn, self.decisionsToDFA, self.sharedContextCache)
        self._predicates = None




    class MetadataSectionStartContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_metadataSectionStart




    def metadataSectionStart(self):

        localctx = DataQualityDefinitionLanguageParser.MetadataSectionStartContext(self, self._ctx, self.state)
        self.enterRule(localctx, 0, self.RULE_metadataSectionStart)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 122
            self.match(DataQualityDefinitionLanguageParser.T__0)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DataSourcesSectionStartContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dataSourcesSectionStart




    def dataSourcesSectionStart(self):

        localctx = DataQualityDefinitionLanguageParser.DataSourcesSectionStartContext(self, self._ctx, self.state)
        self.enterRule(localctx, 2, self.RULE_dataSourcesSectionStart)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 124
            self.match(DataQualityDefinitionLanguageParser.T__1)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class RulesSectionStartContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_rulesSectionStart




    def rulesSectionStart(self):

        localctx = DataQualityDefinitionLanguageParser.RulesSectionStartContext(self, self._ctx, self.state)
        self.enterRule(localctx, 4, self.RULE_rulesSectionStart)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 126
            self.match(DataQualityDefinitionLanguageParser.T__2)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class AnalyzersSectionStartContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_analyzersSectionStart




    def analyzersSectionStart(self):

        localctx = DataQualityDefinitionLanguageParser.AnalyzersSectionStartContext(self, self._ctx, self.state)
        self.enterRule(localctx, 6, self.RULE_analyzersSectionStart)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 128
            self.match(DataQualityDefinitionLanguageParser.T__3)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DateNowContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dateNow




    def dateNow(self):

        localctx = DataQualityDefinitionLanguageParser.DateNowContext(self, self._ctx, self.state)
        self.enterRule(localctx, 8, self.RULE_dateNow)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 130
            self.match(DataQualityDefinitionLanguageParser.T__4)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DurationUnitContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_durationUnit




    def durationUnit(self):

        localctx = DataQualityDefinitionLanguageParser.DurationUnitContext(self, self._ctx, self.state)
        self.enterRule(localctx, 10, self.RULE_durationUnit)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 132
            _la = self._input.LA(1)
            if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 448) != 0)):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DurationExpressionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def durationUnit(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationUnitContext,0)


        def DIGIT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.DIGIT, 0)

        def INT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.INT, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_durationExpression




    def durationExpression(self):

        localctx = DataQualityDefinitionLanguageParser.DurationExpressionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 12, self.RULE_durationExpression)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 134
            _la = self._input.LA(1)
            if not(_la==48 or _la==52):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
            self.state = 135
            self.durationUnit()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class SizeUnitContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_sizeUnit




    def sizeUnit(self):

        localctx = DataQualityDefinitionLanguageParser.SizeUnitContext(self, self._ctx, self.state)
        self.enterRule(localctx, 14, self.RULE_sizeUnit)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 137
            _la = self._input.LA(1)
            if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 15872) != 0)):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class SizeExpressionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def sizeUnit(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.SizeUnitContext,0)


        def DIGIT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.DIGIT, 0)

        def INT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.INT, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_sizeExpression




    def sizeExpression(self):

        localctx = DataQualityDefinitionLanguageParser.SizeExpressionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 16, self.RULE_sizeExpression)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 139
            _la = self._input.LA(1)
            if not(_la==48 or _la==52):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
            self.state = 140
            self.sizeUnit()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class TimeExpressionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def TIME(self):
            return self.getToken(DataQualityDefinitionLanguageParser.TIME, 0)

        def MIL_TIME(self):
            return self.getToken(DataQualityDefinitionLanguageParser.MIL_TIME, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_timeExpression




    def timeExpression(self):

        localctx = DataQualityDefinitionLanguageParser.TimeExpressionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 18, self.RULE_timeExpression)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 142
            _la = self._input.LA(1)
            if not(_la==50 or _la==51):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DateExpressionOpContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def NEGATIVE(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATIVE, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dateExpressionOp




    def dateExpressionOp(self):

        localctx = DataQualityDefinitionLanguageParser.DateExpressionOpContext(self, self._ctx, self.state)
        self.enterRule(localctx, 20, self.RULE_dateExpressionOp)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 144
            _la = self._input.LA(1)
            if not(_la==14 or _la==55):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DateExpressionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def DATE(self):
            return self.getToken(DataQualityDefinitionLanguageParser.DATE, 0)

        def dateNow(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateNowContext,0)


        def LPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LPAREN, 0)

        def dateExpressionOp(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateExpressionOpContext,0)


        def durationExpression(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationExpressionContext,0)


        def RPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RPAREN, 0)

        def timeExpression(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.TimeExpressionContext,0)


        def NULL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NULL, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dateExpression




    def dateExpression(self):

        localctx = DataQualityDefinitionLanguageParser.DateExpressionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 22, self.RULE_dateExpression)
        try:
            self.state = 156
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [49]:
                self.enterOuterAlt(localctx, 1)
                self.state = 146
                self.match(DataQualityDefinitionLanguageParser.DATE)
                pass
            elif token in [5]:
                self.enterOuterAlt(localctx, 2)
                self.state = 147
                self.dateNow()
                pass
            elif token in [31]:
                self.enterOuterAlt(localctx, 3)
                self.state = 148
                self.match(DataQualityDefinitionLanguageParser.LPAREN)
                self.state = 149
                self.dateNow()
                self.state = 150
                self.dateExpressionOp()
                self.state = 151
                self.durationExpression()
                self.state = 152
                self.match(DataQualityDefinitionLanguageParser.RPAREN)
                pass
            elif token in [50, 51]:
                self.enterOuterAlt(localctx, 4)
                self.state = 154
                self.timeExpression()
                pass
            elif token in [36]:
                self.enterOuterAlt(localctx, 5)
                self.state = 155
                self.match(DataQualityDefinitionLanguageParser.NULL)
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class AtomicNumberContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def DIGIT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.DIGIT, 0)

        def NEGATIVE(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATIVE, 0)

        def INT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.INT, 0)

        def DECIMAL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.DECIMAL, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_atomicNumber




    def atomicNumber(self):

        localctx = DataQualityDefinitionLanguageParser.AtomicNumberContext(self, self._ctx, self.state)
        self.enterRule(localctx, 24, self.RULE_atomicNumber)
        try:
            self.state = 167
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,1,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 158
                self.match(DataQualityDefinitionLanguageParser.DIGIT)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 159
                self.match(DataQualityDefinitionLanguageParser.NEGATIVE)
                self.state = 160
                self.match(DataQualityDefinitionLanguageParser.DIGIT)
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 161
                self.match(DataQualityDefinitionLanguageParser.INT)
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 162
                self.match(DataQualityDefinitionLanguageParser.NEGATIVE)
                self.state = 163
                self.match(DataQualityDefinitionLanguageParser.INT)
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 164
                self.match(DataQualityDefinitionLanguageParser.DECIMAL)
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 165
                self.match(DataQualityDefinitionLanguageParser.NEGATIVE)
                self.state = 166
                self.match(DataQualityDefinitionLanguageParser.DECIMAL)
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class FunctionParametersContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def number(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.NumberContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberContext,i)


        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_functionParameters




    def functionParameters(self):

        localctx = DataQualityDefinitionLanguageParser.FunctionParametersContext(self, self._ctx, self.state)
        self.enterRule(localctx, 26, self.RULE_functionParameters)
        self._la = 0 # Token type
        try:
            self.state = 178
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,3,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 169
                self.number(0)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 170
                self.number(0)
                self.state = 175
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                while _la==24:
                    self.state = 171
                    self.match(DataQualityDefinitionLanguageParser.COMMA)
                    self.state = 172
                    self.number(0)
                    self.state = 177
                    self._errHandler.sync(self)
                    _la = self._input.LA(1)

                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class FunctionCallContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def LPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LPAREN, 0)

        def RPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RPAREN, 0)

        def functionParameters(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.FunctionParametersContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_functionCall




    def functionCall(self):

        localctx = DataQualityDefinitionLanguageParser.FunctionCallContext(self, self._ctx, self.state)
        self.enterRule(localctx, 28, self.RULE_functionCall)
        try:
            self.state = 188
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,4,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 180
                self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
                self.state = 181
                self.match(DataQualityDefinitionLanguageParser.LPAREN)
                self.state = 182
                self.match(DataQualityDefinitionLanguageParser.RPAREN)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 183
                self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
                self.state = 184
                self.match(DataQualityDefinitionLanguageParser.LPAREN)
                self.state = 185
                self.functionParameters()
                self.state = 186
                self.match(DataQualityDefinitionLanguageParser.RPAREN)
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class NumberOpContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def NEGATIVE(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATIVE, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_numberOp




    def numberOp(self):

        localctx = DataQualityDefinitionLanguageParser.NumberOpContext(self, self._ctx, self.state)
        self.enterRule(localctx, 30, self.RULE_numberOp)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 190
            _la = self._input.LA(1)
            if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 36028797019078656) != 0)):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class NumberContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def functionCall(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.FunctionCallContext,0)


        def LPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LPAREN, 0)

        def number(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.NumberContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberContext,i)


        def RPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RPAREN, 0)

        def atomicNumber(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.AtomicNumberContext,0)


        def NULL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NULL, 0)

        def numberOp(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberOpContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_number



    def number(self, _p:int=0):
        _parentctx = self._ctx
        _parentState = self.state
        localctx = DataQualityDefinitionLanguageParser.NumberContext(self, self._ctx, _parentState)
        _prevctx = localctx
        _startState = 32
        self.enterRecursionRule(localctx, 32, self.RULE_number, _p)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 200
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [57]:
                self.state = 193
                self.functionCall()
                pass
            elif token in [31]:
                self.state = 194
                self.match(DataQualityDefinitionLanguageParser.LPAREN)
                self.state = 195
                self.number(0)
                self.state = 196
                self.match(DataQualityDefinitionLanguageParser.RPAREN)
                pass
            elif token in [48, 52, 53, 55]:
                self.state = 198
                self.atomicNumber()
                pass
            elif token in [36]:
                self.state = 199
                self.match(DataQualityDefinitionLanguageParser.NULL)
                pass
            else:
                raise NoViableAltException(self)

            self._ctx.stop = self._input.LT(-1)
            self.state = 208
            self._errHandler.sync(self)
            _alt = self._interp.adaptivePredict(self._input,6,self._ctx)
            while _alt!=2 and _alt!=ATN.INVALID_ALT_NUMBER:
                if _alt==1:
                    if self._parseListeners is not None:
                        self.triggerExitRuleEvent()
                    _prevctx = localctx
                    localctx = DataQualityDefinitionLanguageParser.NumberContext(self, _parentctx, _parentState)
                    self.pushNewRecursionContext(localctx, _startState, self.RULE_number)
                    self.state = 202
                    if not self.precpred(self._ctx, 5):
                        from antlr4.error.Errors import FailedPredicateException
                        raise FailedPredicateException(self, "self.precpred(self._ctx, 5)")
                    self.state = 203
                    self.numberOp()
                    self.state = 204
                    self.number(6) 
                self.state = 210
                self._errHandler.sync(self)
                _alt = self._interp.adaptivePredict(self._input,6,self._ctx)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.unrollRecursionContexts(_parentctx)
        return localctx


    class QuotedStringContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def QUOTED_STRING(self):
            return self.getToken(DataQualityDefinitionLanguageParser.QUOTED_STRING, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_quotedString




    def quotedString(self):

        localctx = DataQualityDefinitionLanguageParser.QuotedStringContext(self, self._ctx, self.state)
        self.enterRule(localctx, 34, self.RULE_quotedString)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 211
            self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class MatchesRegexConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def quotedString(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.QuotedStringContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_matchesRegexCondition




    def matchesRegexCondition(self):

        localctx = DataQualityDefinitionLanguageParser.MatchesRegexConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 36, self.RULE_matchesRegexCondition)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 213
            self.match(DataQualityDefinitionLanguageParser.T__16)
            self.state = 214
            self.quotedString()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class NumberArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def number(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.NumberContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberContext,i)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_numberArray




    def numberArray(self):

        localctx = DataQualityDefinitionLanguageParser.NumberArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 38, self.RULE_numberArray)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 216
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 217
            self.number(0)
            self.state = 222
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 218
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 219
                self.number(0)
                self.state = 224
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 225
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class NumberBasedConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def BETWEEN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.BETWEEN, 0)

        def number(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.NumberContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberContext,i)


        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def NOT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NOT, 0)

        def GREATER_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN, 0)

        def GREATER_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO, 0)

        def LESS_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN, 0)

        def LESS_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO, 0)

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def NEGATION(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATION, 0)

        def IN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IN, 0)

        def numberArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_numberBasedCondition




    def numberBasedCondition(self):

        localctx = DataQualityDefinitionLanguageParser.NumberBasedConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 40, self.RULE_numberBasedCondition)
        self._la = 0 # Token type
        try:
            self.state = 253
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,11,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 228
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 227
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 230
                self.match(DataQualityDefinitionLanguageParser.BETWEEN)
                self.state = 231
                self.number(0)
                self.state = 232
                self.match(DataQualityDefinitionLanguageParser.AND)
                self.state = 233
                self.number(0)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 235
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN)
                self.state = 236
                self.number(0)
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 237
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO)
                self.state = 238
                self.number(0)
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 239
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN)
                self.state = 240
                self.number(0)
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 241
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO)
                self.state = 242
                self.number(0)
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 244
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==47:
                    self.state = 243
                    self.match(DataQualityDefinitionLanguageParser.NEGATION)


                self.state = 246
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 247
                self.number(0)
                pass

            elif la_ == 7:
                self.enterOuterAlt(localctx, 7)
                self.state = 249
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 248
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 251
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 252
                self.numberArray()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class VariableDereferenceContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_variableDereference




    def variableDereference(self):

        localctx = DataQualityDefinitionLanguageParser.VariableDereferenceContext(self, self._ctx, self.state)
        self.enterRule(localctx, 42, self.RULE_variableDereference)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 255
            self.match(DataQualityDefinitionLanguageParser.T__17)
            self.state = 256
            self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class StringValuesContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def quotedString(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.QuotedStringContext,0)


        def variableDereference(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.VariableDereferenceContext,0)


        def NULL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NULL, 0)

        def EMPTY(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EMPTY, 0)

        def WHITESPACES_ONLY(self):
            return self.getToken(DataQualityDefinitionLanguageParser.WHITESPACES_ONLY, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_stringValues




    def stringValues(self):

        localctx = DataQualityDefinitionLanguageParser.StringValuesContext(self, self._ctx, self.state)
        self.enterRule(localctx, 44, self.RULE_stringValues)
        try:
            self.state = 263
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [54]:
                self.enterOuterAlt(localctx, 1)
                self.state = 258
                self.quotedString()
                pass
            elif token in [18]:
                self.enterOuterAlt(localctx, 2)
                self.state = 259
                self.variableDereference()
                pass
            elif token in [36]:
                self.enterOuterAlt(localctx, 3)
                self.state = 260
                self.match(DataQualityDefinitionLanguageParser.NULL)
                pass
            elif token in [37]:
                self.enterOuterAlt(localctx, 4)
                self.state = 261
                self.match(DataQualityDefinitionLanguageParser.EMPTY)
                pass
            elif token in [38]:
                self.enterOuterAlt(localctx, 5)
                self.state = 262
                self.match(DataQualityDefinitionLanguageParser.WHITESPACES_ONLY)
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class StringValuesArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def stringValues(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.StringValuesContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringValuesContext,i)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_stringValuesArray




    def stringValuesArray(self):

        localctx = DataQualityDefinitionLanguageParser.StringValuesArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 46, self.RULE_stringValuesArray)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 265
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 266
            self.stringValues()
            self.state = 271
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 267
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 268
                self.stringValues()
                self.state = 273
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 274
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class StringBasedConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def stringValues(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringValuesContext,0)


        def NEGATION(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATION, 0)

        def IN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IN, 0)

        def stringValuesArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringValuesArrayContext,0)


        def NOT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NOT, 0)

        def variableDereference(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.VariableDereferenceContext,0)


        def matchesRegexCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.MatchesRegexConditionContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_stringBasedCondition




    def stringBasedCondition(self):

        localctx = DataQualityDefinitionLanguageParser.StringBasedConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 48, self.RULE_stringBasedCondition)
        self._la = 0 # Token type
        try:
            self.state = 295
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,18,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 277
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==47:
                    self.state = 276
                    self.match(DataQualityDefinitionLanguageParser.NEGATION)


                self.state = 279
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 280
                self.stringValues()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 282
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 281
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 284
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 285
                self.stringValuesArray()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 287
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 286
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 289
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 290
                self.variableDereference()
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 292
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 291
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 294
                self.matchesRegexCondition()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class TagValuesContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_tagValues




    def tagValues(self):

        localctx = DataQualityDefinitionLanguageParser.TagValuesContext(self, self._ctx, self.state)
        self.enterRule(localctx, 50, self.RULE_tagValues)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 297
            self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DateExpressionArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def dateExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.DateExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateExpressionContext,i)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dateExpressionArray




    def dateExpressionArray(self):

        localctx = DataQualityDefinitionLanguageParser.DateExpressionArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 52, self.RULE_dateExpressionArray)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 299
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 300
            self.dateExpression()
            self.state = 305
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 301
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 302
                self.dateExpression()
                self.state = 307
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 308
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DateBasedConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def BETWEEN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.BETWEEN, 0)

        def dateExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.DateExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateExpressionContext,i)


        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def NOT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NOT, 0)

        def GREATER_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN, 0)

        def GREATER_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO, 0)

        def LESS_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN, 0)

        def LESS_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO, 0)

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def NEGATION(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATION, 0)

        def IN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IN, 0)

        def dateExpressionArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateExpressionArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dateBasedCondition




    def dateBasedCondition(self):

        localctx = DataQualityDefinitionLanguageParser.DateBasedConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 54, self.RULE_dateBasedCondition)
        self._la = 0 # Token type
        try:
            self.state = 336
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,23,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 311
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 310
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 313
                self.match(DataQualityDefinitionLanguageParser.BETWEEN)
                self.state = 314
                self.dateExpression()
                self.state = 315
                self.match(DataQualityDefinitionLanguageParser.AND)
                self.state = 316
                self.dateExpression()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 318
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN)
                self.state = 319
                self.dateExpression()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 320
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO)
                self.state = 321
                self.dateExpression()
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 322
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN)
                self.state = 323
                self.dateExpression()
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 324
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO)
                self.state = 325
                self.dateExpression()
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 327
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==47:
                    self.state = 326
                    self.match(DataQualityDefinitionLanguageParser.NEGATION)


                self.state = 329
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 330
                self.dateExpression()
                pass

            elif la_ == 7:
                self.enterOuterAlt(localctx, 7)
                self.state = 332
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 331
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 334
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 335
                self.dateExpressionArray()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DurationExpressionArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def durationExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.DurationExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationExpressionContext,i)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_durationExpressionArray




    def durationExpressionArray(self):

        localctx = DataQualityDefinitionLanguageParser.DurationExpressionArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 56, self.RULE_durationExpressionArray)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 338
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 339
            self.durationExpression()
            self.state = 344
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 340
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 341
                self.durationExpression()
                self.state = 346
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 347
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DurationBasedConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def BETWEEN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.BETWEEN, 0)

        def durationExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.DurationExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationExpressionContext,i)


        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def NOT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NOT, 0)

        def GREATER_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN, 0)

        def GREATER_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO, 0)

        def LESS_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN, 0)

        def LESS_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO, 0)

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def NEGATION(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATION, 0)

        def IN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IN, 0)

        def durationExpressionArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationExpressionArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_durationBasedCondition




    def durationBasedCondition(self):

        localctx = DataQualityDefinitionLanguageParser.DurationBasedConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 58, self.RULE_durationBasedCondition)
        self._la = 0 # Token type
        try:
            self.state = 375
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,28,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 350
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 349
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 352
                self.match(DataQualityDefinitionLanguageParser.BETWEEN)
                self.state = 353
                self.durationExpression()
                self.state = 354
                self.match(DataQualityDefinitionLanguageParser.AND)
                self.state = 355
                self.durationExpression()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 357
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN)
                self.state = 358
                self.durationExpression()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 359
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO)
                self.state = 360
                self.durationExpression()
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 361
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN)
                self.state = 362
                self.durationExpression()
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 363
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO)
                self.state = 364
                self.durationExpression()
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 366
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==47:
                    self.state = 365
                    self.match(DataQualityDefinitionLanguageParser.NEGATION)


                self.state = 368
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 369
                self.durationExpression()
                pass

            elif la_ == 7:
                self.enterOuterAlt(localctx, 7)
                self.state = 371
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 370
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 373
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 374
                self.durationExpressionArray()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class SizeExpressionArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def sizeExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.SizeExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.SizeExpressionContext,i)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_sizeExpressionArray




    def sizeExpressionArray(self):

        localctx = DataQualityDefinitionLanguageParser.SizeExpressionArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 60, self.RULE_sizeExpressionArray)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 377
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 378
            self.sizeExpression()
            self.state = 383
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 379
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 380
                self.sizeExpression()
                self.state = 385
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 386
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class SizeBasedConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def BETWEEN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.BETWEEN, 0)

        def sizeExpression(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.SizeExpressionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.SizeExpressionContext,i)


        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def NOT(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NOT, 0)

        def GREATER_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN, 0)

        def GREATER_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO, 0)

        def LESS_THAN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN, 0)

        def LESS_THAN_EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO, 0)

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def NEGATION(self):
            return self.getToken(DataQualityDefinitionLanguageParser.NEGATION, 0)

        def IN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IN, 0)

        def sizeExpressionArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.SizeExpressionArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_sizeBasedCondition




    def sizeBasedCondition(self):

        localctx = DataQualityDefinitionLanguageParser.SizeBasedConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 62, self.RULE_sizeBasedCondition)
        self._la = 0 # Token type
        try:
            self.state = 414
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,33,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 389
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 388
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 391
                self.match(DataQualityDefinitionLanguageParser.BETWEEN)
                self.state = 392
                self.sizeExpression()
                self.state = 393
                self.match(DataQualityDefinitionLanguageParser.AND)
                self.state = 394
                self.sizeExpression()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 396
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN)
                self.state = 397
                self.sizeExpression()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 398
                self.match(DataQualityDefinitionLanguageParser.GREATER_THAN_EQUAL_TO)
                self.state = 399
                self.sizeExpression()
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 400
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN)
                self.state = 401
                self.sizeExpression()
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 402
                self.match(DataQualityDefinitionLanguageParser.LESS_THAN_EQUAL_TO)
                self.state = 403
                self.sizeExpression()
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 405
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==47:
                    self.state = 404
                    self.match(DataQualityDefinitionLanguageParser.NEGATION)


                self.state = 407
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 408
                self.sizeExpression()
                pass

            elif la_ == 7:
                self.enterOuterAlt(localctx, 7)
                self.state = 410
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==46:
                    self.state = 409
                    self.match(DataQualityDefinitionLanguageParser.NOT)


                self.state = 412
                self.match(DataQualityDefinitionLanguageParser.IN)
                self.state = 413
                self.sizeExpressionArray()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class RuleTypeContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_ruleType




    def ruleType(self):

        localctx = DataQualityDefinitionLanguageParser.RuleTypeContext(self, self._ctx, self.state)
        self.enterRule(localctx, 64, self.RULE_ruleType)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 416
            self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class AnalyzerTypeContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_analyzerType




    def analyzerType(self):

        localctx = DataQualityDefinitionLanguageParser.AnalyzerTypeContext(self, self._ctx, self.state)
        self.enterRule(localctx, 66, self.RULE_analyzerType)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 418
            self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ParameterContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def QUOTED_STRING(self):
            return self.getToken(DataQualityDefinitionLanguageParser.QUOTED_STRING, 0)

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def variableDereference(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.VariableDereferenceContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_parameter




    def parameter(self):

        localctx = DataQualityDefinitionLanguageParser.ParameterContext(self, self._ctx, self.state)
        self.enterRule(localctx, 68, self.RULE_parameter)
        try:
            self.state = 423
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [54]:
                self.enterOuterAlt(localctx, 1)
                self.state = 420
                self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
                pass
            elif token in [57]:
                self.enterOuterAlt(localctx, 2)
                self.state = 421
                self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
                pass
            elif token in [18]:
                self.enterOuterAlt(localctx, 3)
                self.state = 422
                self.variableDereference()
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ConnectorWordContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def OF(self):
            return self.getToken(DataQualityDefinitionLanguageParser.OF, 0)

        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_connectorWord




    def connectorWord(self):

        localctx = DataQualityDefinitionLanguageParser.ConnectorWordContext(self, self._ctx, self.state)
        self.enterRule(localctx, 70, self.RULE_connectorWord)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 425
            _la = self._input.LA(1)
            if not(_la==33 or _la==35):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ParameterWithConnectorWordContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def parameter(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ParameterContext,0)


        def connectorWord(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ConnectorWordContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_parameterWithConnectorWord




    def parameterWithConnectorWord(self):

        localctx = DataQualityDefinitionLanguageParser.ParameterWithConnectorWordContext(self, self._ctx, self.state)
        self.enterRule(localctx, 72, self.RULE_parameterWithConnectorWord)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 428
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==33 or _la==35:
                self.state = 427
                self.connectorWord()


            self.state = 430
            self.parameter()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class TagWithConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def tagValues(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.TagValuesContext,0)


        def stringBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringBasedConditionContext,0)


        def numberBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberBasedConditionContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_tagWithCondition




    def tagWithCondition(self):

        localctx = DataQualityDefinitionLanguageParser.TagWithConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 74, self.RULE_tagWithCondition)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 432
            self.match(DataQualityDefinitionLanguageParser.T__18)
            self.state = 433
            self.tagValues()
            self.state = 436
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,36,self._ctx)
            if la_ == 1:
                self.state = 434
                self.stringBasedCondition()
                pass

            elif la_ == 2:
                self.state = 435
                self.numberBasedCondition()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ConditionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def numberBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.NumberBasedConditionContext,0)


        def stringBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringBasedConditionContext,0)


        def dateBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DateBasedConditionContext,0)


        def durationBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DurationBasedConditionContext,0)


        def sizeBasedCondition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.SizeBasedConditionContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_condition




    def condition(self):

        localctx = DataQualityDefinitionLanguageParser.ConditionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 76, self.RULE_condition)
        try:
            self.state = 443
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,37,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 438
                self.numberBasedCondition()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 439
                self.stringBasedCondition()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 440
                self.dateBasedCondition()
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 441
                self.durationBasedCondition()
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 442
                self.sizeBasedCondition()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class WhereClauseContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def quotedString(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.QuotedStringContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_whereClause




    def whereClause(self):

        localctx = DataQualityDefinitionLanguageParser.WhereClauseContext(self, self._ctx, self.state)
        self.enterRule(localctx, 78, self.RULE_whereClause)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 445
            self.match(DataQualityDefinitionLanguageParser.T__19)
            self.state = 446
            self.quotedString()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DefaultLabelsContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def label(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.LabelContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.LabelContext,i)


        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_defaultLabels




    def defaultLabels(self):

        localctx = DataQualityDefinitionLanguageParser.DefaultLabelsContext(self, self._ctx, self.state)
        self.enterRule(localctx, 80, self.RULE_defaultLabels)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 448
            self.match(DataQualityDefinitionLanguageParser.T__20)
            self.state = 449
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 450
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 459
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==54:
                self.state = 451
                self.label()
                self.state = 456
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                while _la==24:
                    self.state = 452
                    self.match(DataQualityDefinitionLanguageParser.COMMA)
                    self.state = 453
                    self.label()
                    self.state = 458
                    self._errHandler.sync(self)
                    _la = self._input.LA(1)



            self.state = 461
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class LabelsContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def label(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.LabelContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.LabelContext,i)


        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_labels




    def labels(self):

        localctx = DataQualityDefinitionLanguageParser.LabelsContext(self, self._ctx, self.state)
        self.enterRule(localctx, 82, self.RULE_labels)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 463
            self.match(DataQualityDefinitionLanguageParser.T__21)
            self.state = 464
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 465
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 474
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==54:
                self.state = 466
                self.label()
                self.state = 471
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                while _la==24:
                    self.state = 467
                    self.match(DataQualityDefinitionLanguageParser.COMMA)
                    self.state = 468
                    self.label()
                    self.state = 473
                    self._errHandler.sync(self)
                    _la = self._input.LA(1)



            self.state = 476
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class LabelContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def quotedString(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.QuotedStringContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.QuotedStringContext,i)


        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_label




    def label(self):

        localctx = DataQualityDefinitionLanguageParser.LabelContext(self, self._ctx, self.state)
        self.enterRule(localctx, 84, self.RULE_label)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 478
            self.quotedString()
            self.state = 479
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 480
            self.quotedString()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DqRuleContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def ruleType(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.RuleTypeContext,0)


        def parameterWithConnectorWord(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.ParameterWithConnectorWordContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ParameterWithConnectorWordContext,i)


        def condition(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ConditionContext,0)


        def whereClause(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.WhereClauseContext,0)


        def labels(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.LabelsContext,0)


        def tagWithCondition(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.TagWithConditionContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.TagWithConditionContext,i)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dqRule




    def dqRule(self):

        localctx = DataQualityDefinitionLanguageParser.DqRuleContext(self, self._ctx, self.state)
        self.enterRule(localctx, 86, self.RULE_dqRule)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 482
            self.ruleType()
            self.state = 486
            self._errHandler.sync(self)
            _alt = self._interp.adaptivePredict(self._input,42,self._ctx)
            while _alt!=2 and _alt!=ATN.INVALID_ALT_NUMBER:
                if _alt==1:
                    self.state = 483
                    self.parameterWithConnectorWord() 
                self.state = 488
                self._errHandler.sync(self)
                _alt = self._interp.adaptivePredict(self._input,42,self._ctx)

            self.state = 490
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,43,self._ctx)
            if la_ == 1:
                self.state = 489
                self.condition()


            self.state = 493
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,44,self._ctx)
            if la_ == 1:
                self.state = 492
                self.whereClause()


            self.state = 496
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,45,self._ctx)
            if la_ == 1:
                self.state = 495
                self.labels()


            self.state = 501
            self._errHandler.sync(self)
            _alt = self._interp.adaptivePredict(self._input,46,self._ctx)
            while _alt!=2 and _alt!=ATN.INVALID_ALT_NUMBER:
                if _alt==1:
                    self.state = 498
                    self.tagWithCondition() 
                self.state = 503
                self._errHandler.sync(self)
                _alt = self._interp.adaptivePredict(self._input,46,self._ctx)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DqAnalyzerContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def analyzerType(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.AnalyzerTypeContext,0)


        def parameterWithConnectorWord(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.ParameterWithConnectorWordContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ParameterWithConnectorWordContext,i)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dqAnalyzer




    def dqAnalyzer(self):

        localctx = DataQualityDefinitionLanguageParser.DqAnalyzerContext(self, self._ctx, self.state)
        self.enterRule(localctx, 88, self.RULE_dqAnalyzer)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 504
            self.analyzerType()
            self.state = 508
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while (((_la) & ~0x3f) == 0 and ((1 << _la) & 162129629535272960) != 0):
                self.state = 505
                self.parameterWithConnectorWord()
                self.state = 510
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ExpressionContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def stringValues(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringValuesContext,0)


        def stringValuesArray(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.StringValuesArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_expression




    def expression(self):

        localctx = DataQualityDefinitionLanguageParser.ExpressionContext(self, self._ctx, self.state)
        self.enterRule(localctx, 90, self.RULE_expression)
        try:
            self.state = 513
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [18, 36, 37, 38, 54]:
                self.enterOuterAlt(localctx, 1)
                self.state = 511
                self.stringValues()
                pass
            elif token in [29]:
                self.enterOuterAlt(localctx, 2)
                self.state = 512
                self.stringValuesArray()
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class VariableDeclarationContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENTIFIER(self):
            return self.getToken(DataQualityDefinitionLanguageParser.IDENTIFIER, 0)

        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def expression(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ExpressionContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_variableDeclaration




    def variableDeclaration(self):

        localctx = DataQualityDefinitionLanguageParser.VariableDeclarationContext(self, self._ctx, self.state)
        self.enterRule(localctx, 92, self.RULE_variableDeclaration)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 515
            self.match(DataQualityDefinitionLanguageParser.IDENTIFIER)
            self.state = 516
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 517
            self.expression()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class VariableDeclarationsContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def variableDeclaration(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.VariableDeclarationContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.VariableDeclarationContext,i)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_variableDeclarations




    def variableDeclarations(self):

        localctx = DataQualityDefinitionLanguageParser.VariableDeclarationsContext(self, self._ctx, self.state)
        self.enterRule(localctx, 94, self.RULE_variableDeclarations)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 522
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==57:
                self.state = 519
                self.variableDeclaration()
                self.state = 524
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class TopLevelRuleContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LPAREN, 0)

        def topLevelRule(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.TopLevelRuleContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.TopLevelRuleContext,i)


        def RPAREN(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RPAREN, 0)

        def labels(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.LabelsContext,0)


        def dqRule(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DqRuleContext,0)


        def AND(self):
            return self.getToken(DataQualityDefinitionLanguageParser.AND, 0)

        def OR(self):
            return self.getToken(DataQualityDefinitionLanguageParser.OR, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_topLevelRule



    def topLevelRule(self, _p:int=0):
        _parentctx = self._ctx
        _parentState = self.state
        localctx = DataQualityDefinitionLanguageParser.TopLevelRuleContext(self, self._ctx, _parentState)
        _prevctx = localctx
        _startState = 96
        self.enterRecursionRule(localctx, 96, self.RULE_topLevelRule, _p)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 533
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [31]:
                self.state = 526
                self.match(DataQualityDefinitionLanguageParser.LPAREN)
                self.state = 527
                self.topLevelRule(0)
                self.state = 528
                self.match(DataQualityDefinitionLanguageParser.RPAREN)
                self.state = 530
                self._errHandler.sync(self)
                la_ = self._interp.adaptivePredict(self._input,50,self._ctx)
                if la_ == 1:
                    self.state = 529
                    self.labels()


                pass
            elif token in [57]:
                self.state = 532
                self.dqRule()
                pass
            else:
                raise NoViableAltException(self)

            self._ctx.stop = self._input.LT(-1)
            self.state = 543
            self._errHandler.sync(self)
            _alt = self._interp.adaptivePredict(self._input,53,self._ctx)
            while _alt!=2 and _alt!=ATN.INVALID_ALT_NUMBER:
                if _alt==1:
                    if self._parseListeners is not None:
                        self.triggerExitRuleEvent()
                    _prevctx = localctx
                    self.state = 541
                    self._errHandler.sync(self)
                    la_ = self._interp.adaptivePredict(self._input,52,self._ctx)
                    if la_ == 1:
                        localctx = DataQualityDefinitionLanguageParser.TopLevelRuleContext(self, _parentctx, _parentState)
                        self.pushNewRecursionContext(localctx, _startState, self.RULE_topLevelRule)
                        self.state = 535
                        if not self.precpred(self._ctx, 3):
                            from antlr4.error.Errors import FailedPredicateException
                            raise FailedPredicateException(self, "self.precpred(self._ctx, 3)")
                        self.state = 536
                        self.match(DataQualityDefinitionLanguageParser.AND)
                        self.state = 537
                        self.topLevelRule(4)
                        pass

                    elif la_ == 2:
                        localctx = DataQualityDefinitionLanguageParser.TopLevelRuleContext(self, _parentctx, _parentState)
                        self.pushNewRecursionContext(localctx, _startState, self.RULE_topLevelRule)
                        self.state = 538
                        if not self.precpred(self._ctx, 2):
                            from antlr4.error.Errors import FailedPredicateException
                            raise FailedPredicateException(self, "self.precpred(self._ctx, 2)")
                        self.state = 539
                        self.match(DataQualityDefinitionLanguageParser.OR)
                        self.state = 540
                        self.topLevelRule(3)
                        pass

             
                self.state = 545
                self._errHandler.sync(self)
                _alt = self._interp.adaptivePredict(self._input,53,self._ctx)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.unrollRecursionContexts(_parentctx)
        return localctx


    class DqRulesContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def topLevelRule(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.TopLevelRuleContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.TopLevelRuleContext,i)


        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dqRules




    def dqRules(self):

        localctx = DataQualityDefinitionLanguageParser.DqRulesContext(self, self._ctx, self.state)
        self.enterRule(localctx, 98, self.RULE_dqRules)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 546
            self.topLevelRule(0)
            self.state = 551
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 547
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 548
                self.topLevelRule(0)
                self.state = 553
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DqAnalyzersContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def dqAnalyzer(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.DqAnalyzerContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DqAnalyzerContext,i)


        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dqAnalyzers




    def dqAnalyzers(self):

        localctx = DataQualityDefinitionLanguageParser.DqAnalyzersContext(self, self._ctx, self.state)
        self.enterRule(localctx, 100, self.RULE_dqAnalyzers)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 554
            self.dqAnalyzer()
            self.state = 559
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 555
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 556
                self.dqAnalyzer()
                self.state = 561
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class RulesContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def rulesSectionStart(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.RulesSectionStartContext,0)


        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def dqRules(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DqRulesContext,0)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_rules




    def rules(self):

        localctx = DataQualityDefinitionLanguageParser.RulesContext(self, self._ctx, self.state)
        self.enterRule(localctx, 102, self.RULE_rules)
        try:
            self.state = 573
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,56,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 562
                self.rulesSectionStart()
                self.state = 563
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 564
                self.match(DataQualityDefinitionLanguageParser.LBRAC)
                self.state = 565
                self.dqRules()
                self.state = 566
                self.match(DataQualityDefinitionLanguageParser.RBRAC)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 568
                self.rulesSectionStart()
                self.state = 569
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 570
                self.match(DataQualityDefinitionLanguageParser.LBRAC)
                self.state = 571
                self.match(DataQualityDefinitionLanguageParser.RBRAC)
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class AnalyzersContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def analyzersSectionStart(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.AnalyzersSectionStartContext,0)


        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def dqAnalyzers(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DqAnalyzersContext,0)


        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_analyzers




    def analyzers(self):

        localctx = DataQualityDefinitionLanguageParser.AnalyzersContext(self, self._ctx, self.state)
        self.enterRule(localctx, 104, self.RULE_analyzers)
        try:
            self.state = 586
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,57,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 575
                self.analyzersSectionStart()
                self.state = 576
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 577
                self.match(DataQualityDefinitionLanguageParser.LBRAC)
                self.state = 578
                self.dqAnalyzers()
                self.state = 579
                self.match(DataQualityDefinitionLanguageParser.RBRAC)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 581
                self.analyzersSectionStart()
                self.state = 582
                self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
                self.state = 583
                self.match(DataQualityDefinitionLanguageParser.LBRAC)
                self.state = 584
                self.match(DataQualityDefinitionLanguageParser.RBRAC)
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DictionaryContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LCURL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LCURL, 0)

        def pair(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(DataQualityDefinitionLanguageParser.PairContext)
            else:
                return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.PairContext,i)


        def RCURL(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RCURL, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dictionary




    def dictionary(self):

        localctx = DataQualityDefinitionLanguageParser.DictionaryContext(self, self._ctx, self.state)
        self.enterRule(localctx, 106, self.RULE_dictionary)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 588
            self.match(DataQualityDefinitionLanguageParser.LCURL)
            self.state = 589
            self.pair()
            self.state = 594
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 590
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 591
                self.pair()
                self.state = 596
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 597
            self.match(DataQualityDefinitionLanguageParser.RCURL)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class PairContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def QUOTED_STRING(self):
            return self.getToken(DataQualityDefinitionLanguageParser.QUOTED_STRING, 0)

        def COLON(self):
            return self.getToken(DataQualityDefinitionLanguageParser.COLON, 0)

        def pairValue(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.PairValueContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_pair




    def pair(self):

        localctx = DataQualityDefinitionLanguageParser.PairContext(self, self._ctx, self.state)
        self.enterRule(localctx, 108, self.RULE_pair)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 599
            self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
            self.state = 600
            self.match(DataQualityDefinitionLanguageParser.COLON)
            self.state = 601
            self.pairValue()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class PairValueContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def QUOTED_STRING(self):
            return self.getToken(DataQualityDefinitionLanguageParser.QUOTED_STRING, 0)

        def array(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.ArrayContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_pairValue




    def pairValue(self):

        localctx = DataQualityDefinitionLanguageParser.PairValueContext(self, self._ctx, self.state)
        self.enterRule(localctx, 110, self.RULE_pairValue)
        try:
            self.state = 605
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [54]:
                self.enterOuterAlt(localctx, 1)
                self.state = 603
                self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
                pass
            elif token in [29]:
                self.enterOuterAlt(localctx, 2)
                self.state = 604
                self.array()
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ArrayContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def LBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.LBRAC, 0)

        def QUOTED_STRING(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.QUOTED_STRING)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.QUOTED_STRING, i)

        def RBRAC(self):
            return self.getToken(DataQualityDefinitionLanguageParser.RBRAC, 0)

        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(DataQualityDefinitionLanguageParser.COMMA)
            else:
                return self.getToken(DataQualityDefinitionLanguageParser.COMMA, i)

        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_array




    def array(self):

        localctx = DataQualityDefinitionLanguageParser.ArrayContext(self, self._ctx, self.state)
        self.enterRule(localctx, 112, self.RULE_array)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 607
            self.match(DataQualityDefinitionLanguageParser.LBRAC)
            self.state = 608
            self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
            self.state = 613
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==24:
                self.state = 609
                self.match(DataQualityDefinitionLanguageParser.COMMA)
                self.state = 610
                self.match(DataQualityDefinitionLanguageParser.QUOTED_STRING)
                self.state = 615
                self._errHandler.sync(self)
                _la = self._input.LA(1)

            self.state = 616
            self.match(DataQualityDefinitionLanguageParser.RBRAC)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class MetadataContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def metadataSectionStart(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.MetadataSectionStartContext,0)


        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def dictionary(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DictionaryContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_metadata




    def metadata(self):

        localctx = DataQualityDefinitionLanguageParser.MetadataContext(self, self._ctx, self.state)
        self.enterRule(localctx, 114, self.RULE_metadata)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 618
            self.metadataSectionStart()
            self.state = 619
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 620
            self.dictionary()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DataSourcesContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def dataSourcesSectionStart(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DataSourcesSectionStartContext,0)


        def EQUAL_TO(self):
            return self.getToken(DataQualityDefinitionLanguageParser.EQUAL_TO, 0)

        def dictionary(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DictionaryContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_dataSources




    def dataSources(self):

        localctx = DataQualityDefinitionLanguageParser.DataSourcesContext(self, self._ctx, self.state)
        self.enterRule(localctx, 116, self.RULE_dataSources)
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 622
            self.dataSourcesSectionStart()
            self.state = 623
            self.match(DataQualityDefinitionLanguageParser.EQUAL_TO)
            self.state = 624
            self.dictionary()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class RulesOrAnalyzersContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def rules(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.RulesContext,0)


        def analyzers(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.AnalyzersContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_rulesOrAnalyzers




    def rulesOrAnalyzers(self):

        localctx = DataQualityDefinitionLanguageParser.RulesOrAnalyzersContext(self, self._ctx, self.state)
        self.enterRule(localctx, 118, self.RULE_rulesOrAnalyzers)
        try:
            self.state = 631
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,61,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 626
                self.rules()
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 627
                self.analyzers()
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 628
                self.rules()
                self.state = 629
                self.analyzers()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class DocumentContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def rulesOrAnalyzers(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.RulesOrAnalyzersContext,0)


        def metadata(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.MetadataContext,0)


        def dataSources(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DataSourcesContext,0)


        def variableDeclarations(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.VariableDeclarationsContext,0)


        def defaultLabels(self):
            return self.getTypedRuleContext(DataQualityDefinitionLanguageParser.DefaultLabelsContext,0)


        def getRuleIndex(self):
            return DataQualityDefinitionLanguageParser.RULE_document




    def document(self):

        localctx = DataQualityDefinitionLanguageParser.DocumentContext(self, self._ctx, self.state)
        self.enterRule(localctx, 120, self.RULE_document)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 634
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==1:
                self.state = 633
                self.metadata()


            self.state = 637
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==2:
                self.state = 636
                self.dataSources()


            self.state = 640
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,64,self._ctx)
            if la_ == 1:
                self.state = 639
                self.variableDeclarations()


            self.state = 643
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if _la==21:
                self.state = 642
                self.defaultLabels()


            self.state = 645
            self.rulesOrAnalyzers()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx



    def sempred(self, localctx:RuleContext, ruleIndex:int, predIndex:int):
        if self._predicates == None:
            self._predicates = dict()
        self._predicates[16] = self.number_sempred
        self._predicates[48] = self.topLevelRule_sempred
        pred = self._predicates.get(ruleIndex, None)
        if pred is None:
            raise Exception("No predicate with index:" + str(ruleIndex))
        else:
            return pred(localctx, predIndex)

    def number_sempred(self, localctx:NumberContext, predIndex:int):
            if predIndex == 0:
                return self.precpred(self._ctx, 5)
         

    def topLevelRule_sempred(self, localctx:TopLevelRuleContext, predIndex:int):
            if predIndex == 1:
                return self.precpred(self._ctx, 3)
         

            if predIndex == 2:
                return self.precpred(self._ctx, 2)
         




